"""Guarantee cases from the pages: applying, each action's form, refusals on the page."""

from decimal import Decimal

from sqlalchemy import select

from tests.factories.accounts import auth
from tests.finance.test_guarantee_api import APPLICATION
from tests.page_helpers import row_counts, sign_in
from torchfin.extensions import db
from torchfin.models import AuditEvent, GuaranteeCase, Payment
from torchfin.services.finance import audit, ledger
from torchfin.services.finance.guarantees import subject


def _counts() -> tuple[int, ...]:
    return row_counts(GuaranteeCase, AuditEvent, Payment)


def _case(parties, client) -> int:
    body = APPLICATION | {"bank_id": parties.bank_id, "agency_id": parties.agency_id}
    return client.post("/api/v1/guarantees", json=body, headers=auth(parties.sme)).json["id"]


def _state(case_id: int) -> str:
    db.session.expire_all()
    return db.session.get(GuaranteeCase, case_id).state


def _act(client, case_id: int, action: str, **fields):
    """Post an action's form as the page does (fields carry the action as prefix)."""
    data = {f"{action}-{name}": value for name, value in fields.items()}
    return client.post(f"/guarantees/{case_id}/{action}", data=data)


def test_sme_applies_for_a_guarantee_from_the_page(client, parties):
    sign_in(client, parties.sme)
    assert 'id="apply"' in client.get("/guarantees").get_data(as_text=True)
    form = client.get("/guarantees/new").get_data(as_text=True)
    assert f'value="{parties.bank_id}"' in form and f'value="{parties.agency_id}"' in form
    response = client.post(
        "/guarantees/new",
        data={
            "bank_id": str(parties.bank_id),
            "agency_id": str(parties.agency_id),
            "principal": "3000000",
            "term_months": "12",
            "loan_rate": "0.0435",
            "fee_rate": "0.02",
            "purpose": "采购动力电池电芯",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    case = db.session.scalar(select(GuaranteeCase))
    assert response.headers["Location"].endswith(f"/guarantees/{case.id}")
    assert (case.state, case.fee, case.enterprise_id) == (
        "applied",
        Decimal("60000.00"),
        parties.enterprise_id,
    )
    [event] = audit.timeline(db.session, subject(case.id))
    assert (event.action, event.data["fee"]) == ("apply", "60000.00")


def test_bad_application_comes_back_with_field_messages_and_writes_nothing(client, parties):
    sign_in(client, parties.sme)
    before = _counts()
    response = client.post(
        "/guarantees/new",
        data={
            "bank_id": str(parties.agency_id),  # an agency is no bank: the service says so
            "agency_id": str(parties.agency_id),
            "principal": "12.345",
            "term_months": "0",
            "loan_rate": "0.0435",
            "fee_rate": "",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "金额最多保留两位小数（到分）。" in page
    assert "须在 1 到 120 之间。" in page
    assert "此项必填。" in page  # the fee rate
    assert 'value="12.345"' in page  # what was typed stays
    assert _counts() == before
    # The schema passed this time; the service refuses the bank that is an agency.
    response = client.post(
        "/guarantees/new?lang=en",
        data={
            "bank_id": str(parties.agency_id),
            "agency_id": str(parties.agency_id),
            "principal": "3000000",
            "term_months": "12",
            "loan_rate": "0.0435",
            "fee_rate": "0.02",
        },
    )
    assert response.status_code == 422
    assert "There is no such bank." in response.get_data(as_text=True)
    assert _counts() == before


def test_only_an_enterprise_opens_or_posts_the_application(client, parties):
    sign_in(client, parties.banker)
    before = _counts()
    assert client.get("/guarantees/new").status_code == 403
    assert client.post("/guarantees/new", data={"principal": "1"}).status_code == 403
    assert 'id="apply"' not in client.get("/guarantees").get_data(as_text=True)
    assert _counts() == before


def test_case_runs_to_disbursement_through_the_action_forms(client, parties, run_worker):
    case_id = _case(parties, client)
    sign_in(client, parties.guarantor)
    steps = [
        ("accept", {}),
        ("start_due_diligence", {}),
        ("submit_risk_review", {"due_diligence_report": "经营稳定，订单充足"}),
        ("submit_to_committee", {"risk_opinion": "风险可控"}),
        ("approve", {"committee_resolution": "评审会同意担保"}),
        ("sign_contract", {"contract_no": "ZGC-1", "counter_guarantees": "股权质押\n\n 房产抵押 "}),
    ]
    for action, fields in steps:
        response = _act(client, case_id, action, **fields)
        assert response.status_code == 303, (action, response.get_data(as_text=True))
    case = db.session.get(GuaranteeCase, case_id)
    assert case.state == "contract_signed"
    assert case.counter_guarantees == ["股权质押", "房产抵押"]
    page = client.get(f"/guarantees/{case_id}").get_data(as_text=True)
    assert 'data-action="collect_fee"' in page and 'id="timeline"' in page

    # Collecting the fee only queues a payment; the worker books it and moves the case on.
    assert _act(client, case_id, "collect_fee").status_code == 303
    assert _state(case_id) == "contract_signed"
    run_worker()
    assert _state(case_id) == "fee_collected"
    assert ledger.balance(db.session, f"agency:{parties.agency_id}") == Decimal("60000.00")

    sign_in(client, parties.banker)
    assert _act(client, case_id, "disburse", loan_no="JK-2025-0001").status_code == 303
    run_worker()
    assert _state(case_id) == "disbursed"
    assert ledger.balance(db.session, f"enterprise:{parties.enterprise_id}") == Decimal(
        "2940000.00"
    )  # the principal in, the fee out
    assert ledger.check(db.engine)[1] == [] and audit.verify(db.engine)[1] == []
    actions = [e.action for e in audit.timeline(db.session, subject(case_id))]
    assert actions[-4:] == [
        "collect_fee_requested",
        "collect_fee",
        "disburse_requested",
        "disburse",
    ]


def test_missing_and_bad_fields_come_back_on_the_form_and_write_nothing(client, parties):
    case_id = _case(parties, client)
    for action in ("accept", "start_due_diligence"):
        client.post(f"/api/v1/guarantees/{case_id}/{action}", headers=auth(parties.guarantor))
    sign_in(client, parties.guarantor)
    before = _counts()
    response = _act(client, case_id, "submit_risk_review")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "此操作须填写此项。" in page
    assert 'data-action="submit_risk_review"' in page
    response = _act(client, case_id, "reject", reason="x" * 2001)
    assert response.status_code == 422
    assert "长度须在 1 到 2000 之间。" in response.get_data(as_text=True)
    english = client.post(f"/guarantees/{case_id}/submit_risk_review?lang=en", data={})
    assert "Required for this action." in english.get_data(as_text=True)
    assert _counts() == before and _state(case_id) == "due_diligence"


def test_move_from_the_wrong_state_is_409_naming_the_state_and_allowed_moves(client, parties):
    case_id = _case(parties, client)
    sign_in(client, parties.guarantor)
    before = _counts()
    response = _act(client, case_id, "approve", committee_resolution="同意")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "当前状态为“已申请”，不能执行“批准”。此状态下可执行：受理、否决。" in page
    assert 'data-action="accept"' in page  # the moves the user may take are still offered
    client.get("/guarantees?lang=en")  # the session's language is now English
    english = _act(client, case_id, "approve", committee_resolution="ok").get_data(as_text=True)
    assert "The current state is “Applied”, from which “Approve” is not possible." in english
    assert "Allowed from this state: Accept, Reject." in english
    assert _counts() == before


def test_the_wrong_party_gets_403_and_nothing_changes(client, parties):
    case_id = _case(parties, client)
    sign_in(client, parties.banker)  # a party to the case, but the agency accepts
    before = _counts()
    assert _act(client, case_id, "accept").status_code == 403
    sign_in(client, parties.other_banker)  # not a party at all: the case does not exist for it
    assert _act(client, case_id, "accept").status_code == 404
    assert _counts() == before and _state(case_id) == "applied"
