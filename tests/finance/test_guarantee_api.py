"""Guarantee cases through the API: the full life cycle with real workers, and every refusal."""

from decimal import Decimal

import pytest

from tests.factories.accounts import auth
from torchfin.extensions import db
from torchfin.services.finance import audit, ledger
from torchfin.services.finance.guarantees import compute_fee

APPLICATION = {
    "principal": "3000000.00",
    "term_months": 12,
    "loan_rate": "0.0435",
    "fee_rate": "0.0200",
    "purpose": "采购动力电池电芯",
}


def _apply(client, parties, **changes) -> dict:
    body = APPLICATION | {"bank_id": parties.bank_id, "agency_id": parties.agency_id} | changes
    response = client.post("/api/v1/guarantees", json=body, headers=auth(parties.sme))
    assert response.status_code == 201, response.json
    return response.json


def _act(client, user, case_id: int, action: str, status: int = 200, **body) -> dict:
    response = client.post(f"/api/v1/guarantees/{case_id}/{action}", json=body, headers=auth(user))
    assert response.status_code == status, response.json
    return response.json


def _to_approved(client, parties, case_id: int) -> None:
    g = parties.guarantor
    _act(client, g, case_id, "accept")
    _act(client, g, case_id, "start_due_diligence")
    _act(client, g, case_id, "submit_risk_review", due_diligence_report="经营稳定，订单充足")
    _act(client, g, case_id, "submit_to_committee", risk_opinion="风险可控")
    _act(client, g, case_id, "approve", committee_resolution="评审会同意担保（意向书）")


@pytest.mark.parametrize(
    ("principal", "rate", "months", "fee"),
    [
        ("3000000.00", "0.0200", 12, "60000.00"),
        ("1000000.00", "0.0150", 7, "8750.00"),
        ("333333.33", "0.0125", 5, "1736.11"),  # 1736.1111 -> down
        ("100000.00", "0.0009", 1, "7.50"),  # exactly half a fen -> up
    ],
)
def test_fee_is_principal_times_rate_times_months_over_twelve_half_up(principal, rate, months, fee):
    assert compute_fee(Decimal(principal), Decimal(rate), months) == Decimal(fee)


def test_case_runs_from_application_to_release_with_worker_payments(client, parties, run_worker):
    case = _apply(client, parties)
    assert (case["state"], case["fee"]) == ("applied", "60000.00")
    _to_approved(client, parties, case["id"])
    signed = _act(
        client,
        parties.guarantor,
        case["id"],
        "sign_contract",
        contract_no="BZ-2025-001",
        counter_guarantees=["法定代表人连带责任保证", "专利权质押"],
    )
    assert signed["allowed_actions"] == ["collect_fee"]
    waiting = _act(client, parties.guarantor, case["id"], "collect_fee")
    assert waiting["state"] == "contract_signed" and waiting["allowed_actions"] == []
    run_worker()
    case = client.get(f"/api/v1/guarantees/{case['id']}", headers=auth(parties.banker)).json
    assert case["state"] == "fee_collected" and case["allowed_actions"] == ["disburse"]
    _act(client, parties.banker, case["id"], "disburse", loan_no="JK-88")
    run_worker()
    _act(client, parties.guarantor, case["id"], "start_monitoring")
    released = _act(client, parties.banker, case["id"], "release", repaid_on="2026-01-10")
    assert released["state"] == "released" and released["allowed_actions"] == []

    fee_account = ledger.balance(db.session, ledger.account("agency", parties.agency_id))
    assert fee_account == Decimal("60000.00")
    count, problems = ledger.check(db.engine)
    assert (count, problems) == (2, [])
    assert audit.verify(db.engine)[1] == []
    timeline = client.get(
        f"/api/v1/guarantees/{case['id']}/timeline", headers=auth(parties.sme)
    ).json
    assert [e["action"] for e in timeline][-4:] == [
        "disburse_requested",
        "disburse",
        "start_monitoring",
        "release",
    ]
    assert [e["to_state"] for e in timeline][-1] == "released"
    assert timeline[0]["action"] == "apply" and len(timeline) == 13


def test_overdue_case_is_compensated_recovered_and_written_off(client, parties, run_worker):
    case_id = _apply(client, parties)["id"]
    _to_approved(client, parties, case_id)
    _act(
        client,
        parties.guarantor,
        case_id,
        "sign_contract",
        contract_no="C1",
        counter_guarantees=["房产抵押"],
    )
    _act(client, parties.guarantor, case_id, "collect_fee")
    run_worker()
    _act(client, parties.banker, case_id, "disburse", loan_no="L1")
    run_worker()
    _act(client, parties.guarantor, case_id, "start_monitoring")
    _act(
        client,
        parties.banker,
        case_id,
        "report_overdue",
        overdue_amount="2500000.00",
        days_overdue=95,
    )
    _act(client, parties.guarantor, case_id, "compensate")
    run_worker()
    _act(client, parties.guarantor, case_id, "start_recovery")
    _act(client, parties.guarantor, case_id, "record_recovery", amount="400000.00")
    run_worker()
    too_much = _act(client, parties.guarantor, case_id, "record_recovery", 422, amount="2100000.01")
    assert "2100000.00" in str(too_much["errors"]["json"]["amount"])
    refused = _act(client, parties.guarantor, case_id, "close", 409)
    assert "write it off" in refused["message"]
    done = _act(client, parties.guarantor, case_id, "write_off", reason="执行终结，无可执行财产")
    assert done["state"] == "written_off"
    agency = ledger.account("agency", parties.agency_id)
    # fee 60,000 - compensation 2,500,000 + recovery 400,000
    assert ledger.balance(db.session, agency) == Decimal("-2040000.00")
    assert ledger.check(db.engine)[1] == []


def test_illegal_transition_is_409_naming_state_and_allowed_moves(client, parties):
    case_id = _apply(client, parties)["id"]
    refused = _act(client, parties.guarantor, case_id, "approve", 409, committee_resolution="同意")
    assert "applied" in refused["message"]
    assert "accept, reject" in refused["message"]
    _act(client, parties.guarantor, case_id, "reject", reason="资料不全")
    final = _act(client, parties.guarantor, case_id, "accept", 409)
    assert "rejected" in final["message"] and "final state" in final["message"]


def test_wrong_role_is_403_and_strangers_see_nothing(client, parties):
    case_id = _apply(client, parties)["id"]
    assert _act(client, parties.sme, case_id, "accept", 403)["message"]
    assert _act(client, parties.banker, case_id, "accept", 403)["message"]
    stranger = client.get(f"/api/v1/guarantees/{case_id}", headers=auth(parties.other_banker))
    assert stranger.status_code == 404
    listed = client.get("/api/v1/guarantees?state=applied", headers=auth(parties.guarantor)).json
    assert [c["id"] for c in listed] == [case_id]
    assert client.get("/api/v1/guarantees", headers=auth(parties.other_banker)).json == []


def test_missing_required_fields_are_422_and_change_nothing(client, parties):
    case_id = _apply(client, parties)["id"]
    _to_approved(client, parties, case_id)
    refused = _act(client, parties.guarantor, case_id, "sign_contract", 422, contract_no="C9")
    assert set(refused["errors"]["json"]) == {"counter_guarantees"}
    case = client.get(f"/api/v1/guarantees/{case_id}", headers=auth(parties.guarantor)).json
    assert case["state"] == "approved" and case["contract_no"] is None


def test_bad_application_is_422_with_field_messages_and_no_rows(client, parties):
    response = client.post(
        "/api/v1/guarantees",
        json={
            "bank_id": parties.agency_id,
            "agency_id": parties.agency_id,
            "principal": "0.5",
            "term_months": 0,
            "loan_rate": "0.5",
            "fee_rate": "0.02",
        },
        headers=auth(parties.sme),
    )
    assert response.status_code == 422
    assert {"principal", "term_months", "loan_rate"} <= set(response.json["errors"]["json"])
    wrong_kind = client.post(
        "/api/v1/guarantees",
        json=APPLICATION | {"bank_id": parties.agency_id, "agency_id": parties.agency_id},
        headers=auth(parties.sme),
    )
    assert wrong_kind.status_code == 422 and "bank_id" in wrong_kind.json["errors"]["json"]
    assert client.get("/api/v1/guarantees", headers=auth(parties.admin)).json == []
