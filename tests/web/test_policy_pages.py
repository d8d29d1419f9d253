"""Policy pages (政策申报): the SME's offers with the engine's evaluation and amount, applying
through the page, the queue and an application's page with the zone's steps, budget refusals
worded with the budget left, and who may see what."""

import io
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories.accounts import make_user, make_zone_admin
from tests.factories.finance import Parties, make_parties
from tests.factories.policies import make_listing, make_loan_case, qualify, zgc_policy
from tests.factories.registry import make_enterprise, make_zone
from tests.matching.documents import PDF
from tests.web.form_targets import messages_after
from torchfin.extensions import db
from torchfin.models import PolicyApplication, PolicyBudget, PolicyDocument
from torchfin.models.base import utcnow
from torchfin.models.enums import ApplicationState, GuaranteeState, Role
from torchfin.services.finance.policies import applications, queries

INTEREST = "zgc-loan-interest-subsidy"
LISTING = "zgc-listing-reward"


@pytest.fixture
def world(app) -> Parties:
    """中关村's interest subsidy, a qualified enterprise with a disbursed 5,000,000 loan."""
    parties = make_parties()
    zgc_policy(parties.zone, INTEREST)
    qualify(parties)
    return parties


def _apply(parties: Parties, case_id: int) -> PolicyApplication:
    policy = applications.current_version(db.session, parties.zone.id, INTEREST)
    return applications.apply(
        parties.sme, {"policy_id": policy.id, "subject": f"guarantee:{case_id}"}
    )


def test_sme_sees_each_rule_with_evidence_and_the_amount_from_its_loan(client, sign_in, world):
    case = make_loan_case(world)
    pending = make_loan_case(world, state=GuaranteeState.DUE_DILIGENCE)
    sign_in(world.sme)
    page = client.get("/policies").get_data(as_text=True)
    assert "政策申报" in page and "中关村科技型企业贷款贴息" in page
    ready = page.split(f'data-offer="guarantee:{case.id}"')[1].split("</article>")[0]
    assert 'data-rule="qualification" data-status="pass"' in ready
    assert 'data-rule="loan_disbursed" data-status="pass"' in ready
    assert 'data-value="108750.00"' in ready and "10.88万元" in ready
    assert "应付利息" in ready and "217500.00" in ready  # the working: 5m x 4.35 % x 12 / 12
    assert (
        f"/policies/{applications.current_version(db.session, world.zone.id, INTEREST).id}/apply"
        in ready
    )
    waiting = page.split(f'data-offer="guarantee:{pending.id}"')[1].split("</article>")[0]
    assert 'data-rule="loan_disbursed" data-status="fail"' in waiting
    assert "暂不符合申报条件" in waiting
    english = client.get("/policies?lang=en").get_data(as_text=True)
    assert "Policies" in english and "CNY 108,750.00" in english


def test_applying_through_the_page_creates_the_application_the_service_worked_out(
    client, sign_in, world
):
    case = make_loan_case(world)
    policy = applications.current_version(db.session, world.zone.id, INTEREST)
    sign_in(world.sme)
    form = client.get(f"/policies/{policy.id}/apply?subject=guarantee:{case.id}")
    assert f'<option selected value="guarantee:{case.id}">' in form.get_data(as_text=True)
    response = client.post(
        f"/policies/{policy.id}/apply",
        data={"subject": f"guarantee:{case.id}", "note": "用于研发设备采购"},
    )
    assert response.status_code == 303
    application = db.session.scalar(select(PolicyApplication))
    assert response.location.endswith(f"/policy-applications/{application.id}")
    assert (application.amount, application.state) == (Decimal("108750.00"), "applied")
    assert application.note == "用于研发设备采购"
    page = client.get(f"/policy-applications/{application.id}").get_data(as_text=True)
    assert 'data-state="applied"' in page and 'data-action="apply"' in page
    assert 'data-rule="in_zone" data-status="pass"' in page
    again = client.post(f"/policies/{policy.id}/apply", data={"subject": f"guarantee:{case.id}"})
    assert again.status_code == 409
    assert messages_after(again.get_data(as_text=True), "subject") == [
        "该记录的此阶段已有申报，不能重复申报。"
    ]
    assert db.session.scalar(select(func.count(PolicyApplication.id))) == 1


def test_applying_for_no_record_of_the_enterprise_is_422_at_the_field_and_writes_nothing(
    client, sign_in, world
):
    make_loan_case(world)
    policy = applications.current_version(db.session, world.zone.id, INTEREST)
    sign_in(world.sme)
    for subject, message in (
        ("guarantee:999999", "贵企业没有这条记录。"),
        ("listing:1", "请选择所列的记录。"),
        ("", "此项必填。"),
    ):
        response = client.post(f"/policies/{policy.id}/apply", data={"subject": subject})
        assert response.status_code == 422, subject
        assert messages_after(response.get_data(as_text=True), "subject") == [message]
    note = client.post(
        f"/policies/{policy.id}/apply",
        data={"subject": f"guarantee:{world.enterprise_id}", "note": "x" * 2001},
    )
    assert note.status_code == 422
    assert messages_after(note.get_data(as_text=True), "note") == ["长度须在 0 到 2000 之间。"]
    assert db.session.scalar(select(func.count(PolicyApplication.id))) == 0


def test_zone_admin_reviews_approves_and_pays_through_the_page(
    client, sign_in, world, run_worker, sandbox
):
    application_id = _apply(world, make_loan_case(world).id).id
    sign_in(world.sponsor)
    queue = client.get("/policy-applications?state=applied").get_data(as_text=True)
    assert f'data-application="{application_id}"' in queue
    assert client.post(f"/policy-applications/{application_id}/review").status_code == 303
    page = client.get(f"/policy-applications/{application_id}").get_data(as_text=True)
    assert 'data-state="reviewing"' in page and 'data-action="approve"' in page
    assert client.post(f"/policy-applications/{application_id}/approve").status_code == 303
    policies = client.get(f"/zones/{world.zone.code}/policies").get_data(as_text=True)
    row = policies.split(f'data-policy="{INTEREST}"')[1].split("</tr>")[0]
    assert 'data-field="left" data-value="19891250.00"' in row  # 20,000,000 - 108,750
    assert client.post(f"/policy-applications/{application_id}/pay").status_code == 303
    run_worker()
    page = client.get(f"/policy-applications/{application_id}").get_data(as_text=True)
    assert 'id="state" data-state="paid"' in page
    assert 'data-action="pay_requested"' in page and 'data-action="pay"' in page


def test_rejecting_needs_a_reason_at_the_field(client, sign_in, world):
    application_id = _apply(world, make_loan_case(world).id).id
    sign_in(world.sponsor)
    response = client.post(f"/policy-applications/{application_id}/reject", data={})
    assert response.status_code == 422
    assert messages_after(response.get_data(as_text=True), "reject-reason") == [
        "此操作须填写此项。"
    ]
    assert db.session.get(PolicyApplication, application_id).state == ApplicationState.APPLIED
    response = client.post(
        f"/policy-applications/{application_id}/reject",
        data={"reject-reason": "贷款用途与主营业务无关"},
    )
    assert response.status_code == 303
    page = client.get(f"/policy-applications/{application_id}").get_data(as_text=True)
    assert 'data-state="rejected"' in page and "贷款用途与主营业务无关" in page


def test_approval_over_the_budget_is_refused_naming_the_budget_left(client, sign_in, world):
    application_id = _apply(world, make_loan_case(world).id).id
    db.session.add(
        PolicyBudget(
            zone_id=world.zone_id,
            policy_code=INTEREST,
            year=utcnow().year,
            amount=Decimal("20000000.00"),
            reserved=Decimal("19950000.00"),
            paid=Decimal("0.00"),
        )
    )
    db.session.commit()
    applications.act(world.sponsor, application_id, "review", {})
    sign_in(world.sponsor)
    response = client.post(f"/policy-applications/{application_id}/approve")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    refusal = page.split('id="refusal">')[1].split("</div>")[0]
    year = utcnow().year
    assert refusal == (
        f"政策 {INTEREST} 的 {year} 年度预算仅余 50,000.00 元，不能批准 108,750.00 元。"
    )
    assert db.session.get(PolicyApplication, application_id).state == ApplicationState.REVIEWING
    english = client.post(f"/policy-applications/{application_id}/approve?lang=en")
    assert "has 50,000.00 yuan left" in english.get_data(as_text=True)


def test_a_step_from_the_wrong_state_is_409_naming_the_state(client, sign_in, world):
    application_id = _apply(world, make_loan_case(world).id).id
    sign_in(world.sponsor)
    response = client.post(f"/policy-applications/{application_id}/approve")
    assert response.status_code == 409
    assert "当前状态为“已申报”，不能执行“批准”" in response.get_data(as_text=True)


def test_other_zones_admins_get_404_and_403_and_smes_see_only_their_own(client, sign_in, world):
    application_id = _apply(world, make_loan_case(world).id).id
    wuhan = make_zone("wuhan", "武汉东湖新技术开发区")
    sign_in(make_zone_admin(wuhan))
    assert client.get(f"/policy-applications/{application_id}").status_code == 404
    assert client.post(f"/policy-applications/{application_id}/review").status_code == 404
    assert client.get(f"/zones/{world.zone.code}/policies").status_code == 403
    assert f'data-application="{application_id}"' not in client.get(
        "/policy-applications"
    ).get_data(as_text=True)
    other = make_enterprise(world.zone, [], name="另一家企业有限公司")
    sign_in(make_user(Role.SME, enterprise=other))
    assert client.get(f"/policy-applications/{application_id}").status_code == 404
    listing = client.get("/policy-applications").get_data(as_text=True)
    assert "没有符合条件的申报" in listing
    sign_in(world.sme)
    assert client.post(f"/policy-applications/{application_id}/review").status_code == 403
    mine = client.get("/policy-applications").get_data(as_text=True)
    assert f'data-application="{application_id}"' in mine


def test_staged_reward_offers_each_stage_and_the_queue_filters_by_policy(client, sign_in, world):
    zgc_policy(world.zone, LISTING)
    listing = make_listing(world)
    _apply(world, make_loan_case(world).id)
    sign_in(world.sme)
    page = client.get("/policies").get_data(as_text=True)
    for stage, amount in (("filing", "1000000.00"), ("listing", "2000000.00")):
        offer = page.split(f'data-offer="listing:{listing.id}-{stage}"')[1].split("</article>")[0]
        assert f'data-value="{amount}"' in offer
    policy = applications.current_version(db.session, world.zone.id, LISTING)
    response = client.post(
        f"/policies/{policy.id}/apply", data={"subject": f"listing:{listing.id}", "stage": "ipo"}
    )
    assert response.status_code == 422
    assert messages_after(response.get_data(as_text=True), "stage") == [
        "阶段须为以下之一：filing, listing。"
    ]
    assert (
        client.post(
            f"/policies/{policy.id}/apply",
            data={"subject": f"listing:{listing.id}", "stage": "filing"},
        ).status_code
        == 303
    )
    sign_in(world.sponsor)
    filtered = client.get(f"/policy-applications?policy={LISTING}").get_data(as_text=True)
    assert filtered.count("data-application=") == 1 and "申报受理" in filtered


def test_the_queue_pages_newest_first(client, sign_in, world, monkeypatch):
    first = _apply(world, make_loan_case(world).id).id
    second = _apply(world, make_loan_case(world, principal="1000000.00").id).id
    monkeypatch.setattr(queries, "QUEUE_PAGE", 1)
    sign_in(world.sponsor)
    page_one = client.get("/policy-applications").get_data(as_text=True)
    assert f'data-application="{second}"' in page_one and 'rel="next"' in page_one
    assert f'data-application="{first}"' not in page_one
    page_two = client.get("/policy-applications?page=2").get_data(as_text=True)
    assert f'data-application="{first}"' in page_two and 'rel="next"' not in page_two
    assert 'rel="prev"' in page_two


def test_the_enterprise_attaches_a_document_the_zone_downloads_and_not_after_the_decision(
    client, sign_in, world, app, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "DATA_ROOM_DIR", str(tmp_path / "files"))
    application_id = _apply(world, make_loan_case(world).id).id
    sign_in(world.sme)
    url = f"/policy-applications/{application_id}/documents"
    refused = client.post(url, data={"file": (io.BytesIO(b"plain text"), "合同.pdf")})
    assert refused.status_code == 422
    assert (
        "只能上传 PDF、XLSX 或 DOCX 文件"
        in messages_after(refused.get_data(as_text=True), "file")[0]
    )
    response = client.post(url, data={"file": (io.BytesIO(PDF), "借款合同.pdf")})
    assert response.status_code == 303
    page = client.get(f"/policy-applications/{application_id}").get_data(as_text=True)
    assert "借款合同.pdf" in page and 'data-action="attach_document"' in page
    document_id = db.session.scalar(select(PolicyDocument.id))
    sign_in(world.sponsor)
    download = client.get(f"/policy-applications/documents/{document_id}")
    assert download.status_code == 200 and download.data == PDF
    download.close()  # send_file's handle on the stored bytes
    assert 'id="upload-form"' not in client.get(f"/policy-applications/{application_id}").get_data(
        as_text=True
    )
    client.post(f"/policy-applications/{application_id}/reject", data={"reject-reason": "材料不全"})
    sign_in(world.sme)
    late = client.post(url, data={"file": (io.BytesIO(PDF), "补充材料.pdf")})
    assert late.status_code == 409
    assert messages_after(late.get_data(as_text=True), "file") == [
        "园区已作出决定，不能再附加证明材料。"
    ]
    assert db.session.scalar(select(func.count(PolicyDocument.id))) == 1
