"""Risk-compensation pools from the pages: deposits, loans, claims and the sponsor's decisions."""

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from tests.factories.accounts import auth
from tests.factories.finance import book_deposit, loss_parts, make_pool, today
from tests.factories.registry import credit_code
from tests.page_helpers import post_form, row_counts, sign_in
from torchfin.extensions import db
from torchfin.models import AuditEvent, Enterprise, Payment, PoolClaim, PoolLoan
from torchfin.services.finance import audit, ledger
from torchfin.services.finance.pools import claim_subject, pool_subject


def _counts() -> tuple[int, ...]:
    return row_counts(Payment, PoolLoan, PoolClaim, AuditEvent)


def _loan_fields(parties, **changes) -> dict:
    # The borrower by its credit code, as the bank's loan contract names it.
    return {
        "credit_code": db.session.get(Enterprise, parties.enterprise_id).credit_code,
        "loan_no": "JK-2025-0100",
        "principal": "3000000.00",
        "maturity_on": str(today() + timedelta(days=365)),
        **changes,
    }


def _funded_pool_with_loan(client, parties, run_worker) -> tuple[int, int]:
    """A pool holding 1m with one 3m loan of the bank, through the API."""
    pool_id = make_pool(parties.zone).id
    client.post(
        f"/api/v1/pools/{pool_id}/deposits",
        json={"amount": "1000000.00"},
        headers=auth(parties.sponsor),
    )
    run_worker()
    loan = client.post(
        f"/api/v1/pools/{pool_id}/loans",
        json=_loan_fields(parties),
        headers=auth(parties.banker),
    ).json
    return pool_id, loan["id"]


def _file_claim(client, parties, loan_id: int) -> dict:
    """The loan's bank files a claim for a 500,000.00 loss through the API; its body."""
    return client.post(
        f"/api/v1/pool-loans/{loan_id}/claims",
        json={**loss_parts("500000.00"), "days_overdue": 120},
        headers=auth(parties.banker),
    ).json


def test_sponsor_pays_into_the_pool_from_its_page(client, parties, run_worker):
    pool_id = make_pool(parties.zone).id
    sign_in(client, parties.sponsor)
    page = client.get(f"/pools/{pool_id}").get_data(as_text=True)
    assert 'data-form="deposit"' in page and 'data-form="loan"' not in page
    response = post_form(client, f"/pools/{pool_id}/deposits", "deposit", amount="2500000.00")
    assert response.status_code == 303, response.get_data(as_text=True)
    assert ledger.balance(db.session, pool_subject(pool_id)) == Decimal("0.00")  # not yet paid
    run_worker()
    assert ledger.balance(db.session, pool_subject(pool_id)) == Decimal("2500000.00")
    assert ledger.balance(db.session, f"sponsor:{pool_id}") == Decimal("-2500000.00")
    actions = [e.action for e in audit.timeline(db.session, pool_subject(pool_id))]
    assert actions == ["deposit_requested", "deposit"]
    assert ledger.check(db.engine)[1] == [] and audit.verify(db.engine)[1] == []


def test_bad_deposit_comes_back_with_its_message_and_writes_nothing(client, parties):
    pool_id = make_pool(parties.zone).id
    sign_in(client, parties.sponsor)
    before = _counts()
    response = post_form(client, f"/pools/{pool_id}/deposits", "deposit", amount="100.001")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "金额最多保留两位小数（到分）。" in page and 'value="100.001"' in page
    assert post_form(client, f"/pools/{pool_id}/deposits", "deposit", amount="0").status_code == 422
    assert _counts() == before


def test_only_the_sponsor_pays_in(client, parties):
    pool_id = make_pool(parties.zone).id
    sign_in(client, parties.banker)
    before = _counts()
    response = post_form(client, f"/pools/{pool_id}/deposits", "deposit", amount="1000.00")
    assert response.status_code == 403
    assert _counts() == before


def test_bank_registers_a_loan_from_the_pool_page(client, parties):
    pool_id = make_pool(parties.zone).id
    sign_in(client, parties.banker)
    page = client.get(f"/pools/{pool_id}").get_data(as_text=True)
    assert 'data-form="loan"' in page and 'data-form="deposit"' not in page
    response = post_form(client, f"/pools/{pool_id}/loans", "loan", **_loan_fields(parties))
    assert response.status_code == 303, response.get_data(as_text=True)
    loan = db.session.scalar(select(PoolLoan))
    assert (loan.bank_id, loan.principal, loan.state) == (
        parties.bank_id,
        Decimal("3000000.00"),
        "active",
    )
    assert loan.registered_on == today()
    [event] = audit.timeline(db.session, pool_subject(pool_id))
    assert (event.action, event.data["loan_no"]) == ("register_loan", "JK-2025-0100")
    page = client.get(f"/pools/{pool_id}").get_data(as_text=True)
    assert f'data-loan="{loan.id}"' in page and 'data-form="claim"' in page


def test_bad_loan_comes_back_with_field_messages_and_writes_nothing(client, parties):
    pool_id = make_pool(parties.zone).id
    sign_in(client, parties.banker)
    before = _counts()
    fields = _loan_fields(parties, loan_no="", maturity_on="2025-13-01")
    response = post_form(client, f"/pools/{pool_id}/loans", "loan", **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "此项必填。" in page and "请输入有效日期（年-月-日）。" in page
    # Past the schema, the service finds the maturity before the registration date.
    fields = _loan_fields(parties, registered_on=str(today()), maturity_on=str(today()))
    response = post_form(client, f"/pools/{pool_id}/loans", "loan", **fields)
    assert response.status_code == 422
    assert "须晚于登记日期。" in response.get_data(as_text=True)
    unknown = _loan_fields(parties, credit_code=credit_code(987654))
    response = post_form(client, f"/pools/{pool_id}/loans", "loan", **unknown)
    assert response.status_code == 422
    assert "平台上没有使用这个统一社会信用代码的企业。" in response.get_data(as_text=True)
    response = post_form(client, f"/pools/{pool_id}/loans?lang=en", "loan", **unknown)
    assert "No enterprise on the platform has this unified social credit code." in (
        response.get_data(as_text=True)
    )
    assert _counts() == before


def test_only_a_bank_registers_loans(client, parties):
    pool_id = make_pool(parties.zone).id
    sign_in(client, parties.sponsor)
    before = _counts()
    response = post_form(client, f"/pools/{pool_id}/loans", "loan", **_loan_fields(parties))
    assert response.status_code == 403
    assert _counts() == before


def test_bank_files_a_claim_and_the_sponsor_reviews_approves_and_pays_it(
    client, parties, run_worker
):
    pool_id, loan_id = _funded_pool_with_loan(client, parties, run_worker)
    sign_in(client, parties.banker)
    response = post_form(
        client,
        f"/pools/{pool_id}/loans/{loan_id}/claims",
        f"claim{loan_id}",
        **loss_parts("3000000.00"),
        days_overdue="120",
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    claim = db.session.scalar(select(PoolClaim))
    assert (claim.state, claim.payable) == ("filed", Decimal("1000000.00"))
    assert claim.working["binding"] == "pool_balance_available"
    assert db.session.get(PoolLoan, loan_id).state == "defaulted"

    sign_in(client, parties.sponsor)
    page = client.get(f"/pools/{pool_id}").get_data(as_text=True)
    assert f'data-claim="{claim.id}"' in page and 'data-action="review"' in page
    base = f"/pools/{pool_id}/claims/{claim.id}"
    for action in ("review", "approve", "pay"):
        response = client.post(f"{base}/{action}", data={})
        assert response.status_code == 303, (action, response.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(PoolClaim, claim.id).state == "approved"  # paying waits for a worker
    run_worker()
    db.session.expire_all()
    assert db.session.get(PoolClaim, claim.id).state == "paid"
    assert ledger.balance(db.session, pool_subject(pool_id)) == Decimal("0.00")
    assert ledger.balance(db.session, f"bank:{parties.bank_id}") == Decimal("1000000.00")
    actions = [e.action for e in audit.timeline(db.session, claim_subject(claim.id))]
    assert actions == ["file", "review", "approve", "pay_requested", "pay"]
    assert ledger.check(db.engine)[1] == [] and audit.verify(db.engine)[1] == []


def test_bad_claim_and_bad_decisions_come_back_on_the_page_and_write_nothing(
    client, parties, run_worker
):
    pool_id, loan_id = _funded_pool_with_loan(client, parties, run_worker)
    sign_in(client, parties.banker)
    before = _counts()
    url = f"/pools/{pool_id}/loans/{loan_id}/claims"
    parts = loss_parts("500000.00")
    bad = parts | {"outstanding_principal": "abc"}
    response = post_form(client, url, f"claim{loan_id}", **bad, days_overdue="120")
    assert response.status_code == 422
    assert "请输入金额，例如 1500000.00。" in response.get_data(as_text=True)
    response = post_form(client, url, f"claim{loan_id}", **parts, days_overdue="30")
    assert response.status_code == 422
    assert "逾期满 90 天才能申请补偿。" in response.get_data(as_text=True)
    assert _counts() == before
    assert db.session.get(PoolLoan, loan_id).state == "active"

    claim = _file_claim(client, parties, loan_id)
    sign_in(client, parties.sponsor)
    before = _counts()
    base = f"/pools/{pool_id}/claims/{claim['id']}"
    response = client.post(f"{base}/pay", data={})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "当前状态为“已申报”，不能执行“拨付”。此状态下可执行：开始审核。" in page
    client.post(f"{base}/review", data={})
    before = _counts()
    response = client.post(f"{base}/reject", data={})
    assert response.status_code == 422
    assert "此操作须填写此项。" in response.get_data(as_text=True)
    assert _counts() == before
    db.session.expire_all()
    assert db.session.get(PoolClaim, claim["id"]).state == "reviewing"
    response = client.post(f"{base}/reject", data={f"reject{claim['id']}-reason": "资料不全"})
    assert response.status_code == 303
    db.session.expire_all()
    rejected = db.session.get(PoolClaim, claim["id"])
    assert (rejected.state, rejected.reason) == ("rejected", "资料不全")


def test_only_the_loans_bank_files_and_only_the_sponsor_decides(client, parties, run_worker):
    pool_id, loan_id = _funded_pool_with_loan(client, parties, run_worker)
    claim = _file_claim(client, parties, loan_id)
    sign_in(client, parties.other_banker)
    before = _counts()
    response = post_form(
        client,
        f"/pools/{pool_id}/loans/{loan_id}/claims",
        f"claim{loan_id}",
        **loss_parts("500000.00"),
        days_overdue="120",
    )
    assert response.status_code == 403
    sign_in(client, parties.banker)  # the loan's own bank may not decide on its claim
    assert client.post(f"/pools/{pool_id}/claims/{claim['id']}/review").status_code == 403
    assert _counts() == before
    db.session.expire_all()
    assert db.session.get(PoolClaim, claim["id"]).state == "filed"


def test_bank_reports_a_loan_repaid_from_the_pool_page(client, parties, run_worker):
    pool_id, loan_id = _funded_pool_with_loan(client, parties, run_worker)
    sign_in(client, parties.banker)
    page = client.get(f"/pools/{pool_id}").get_data(as_text=True)
    assert 'data-form="repay"' in page
    url = f"/pools/{pool_id}/loans/{loan_id}/repay"
    before = _counts()
    response = post_form(client, url, f"repay{loan_id}", repaid_on="2025-02-30")
    assert response.status_code == 422
    assert "请输入有效日期（年-月-日）。" in response.get_data(as_text=True)
    other_pool = make_pool(parties.zone, name="另一资金池").id
    response = post_form(client, f"/pools/{other_pool}/loans/{loan_id}/repay", f"repay{loan_id}")
    assert response.status_code == 404
    assert _counts() == before and db.session.get(PoolLoan, loan_id).state == "active"

    response = post_form(client, url, f"repay{loan_id}", repaid_on=str(today()))
    assert response.status_code == 303, response.get_data(as_text=True)
    db.session.expire_all()
    loan = db.session.get(PoolLoan, loan_id)
    assert (loan.state, loan.repaid_on) == ("repaid", today())
    last = audit.timeline(db.session, pool_subject(pool_id))[-1]
    assert (last.action, last.data) == ("repay_loan", {"loan_id": loan_id})
    page = client.get(f"/pools/{pool_id}").get_data(as_text=True)
    assert 'data-form="repay"' not in page and 'data-form="claim"' not in page
    response = post_form(client, url, f"repay{loan_id}")
    assert response.status_code == 409
    assert "该贷款已还清或已申请补偿，不能再登记还清。" in response.get_data(as_text=True)


def test_bank_reports_a_recovery_and_the_pools_share_flows_back(client, parties, run_worker):
    pool_id, loan_id = _funded_pool_with_loan(client, parties, run_worker)
    claim = client.post(
        f"/api/v1/pool-loans/{loan_id}/claims",
        json={**loss_parts("3000000.00"), "days_overdue": 120},
        headers=auth(parties.banker),
    ).json
    for action in ("review", "approve", "pay"):
        client.post(
            f"/api/v1/claims/{claim['id']}/{action}", json={}, headers=auth(parties.sponsor)
        )
    run_worker()
    assert ledger.balance(db.session, pool_subject(pool_id)) == Decimal("0.00")

    sign_in(client, parties.sponsor)
    assert 'data-form="recovery"' not in client.get(f"/pools/{pool_id}").get_data(as_text=True)
    sign_in(client, parties.banker)
    assert 'data-form="recovery"' in client.get(f"/pools/{pool_id}").get_data(as_text=True)
    url = f"/pools/{pool_id}/claims/{claim['id']}/recoveries"
    before = _counts()
    for bad in ("abc", "0", "-5.00", "1.001"):
        response = post_form(client, url, f"recovery{claim['id']}", recovered=bad)
        assert response.status_code == 422, bad
        assert 'class="errors"' in response.get_data(as_text=True)
    assert _counts() == before

    # The pool paid 1m of a 3m loss: a third of the 900,000 recovered comes back.
    response = post_form(client, url, f"recovery{claim['id']}", recovered="900000.00")
    assert response.status_code == 303, response.get_data(as_text=True)
    assert ledger.balance(db.session, pool_subject(pool_id)) == Decimal("0.00")  # not yet paid
    run_worker()
    assert ledger.balance(db.session, pool_subject(pool_id)) == Decimal("300000.00")
    assert ledger.balance(db.session, f"bank:{parties.bank_id}") == Decimal("700000.00")
    actions = [e.action for e in audit.timeline(db.session, claim_subject(claim["id"]))]
    assert actions[-2:] == ["recovery_requested", "recovery"]
    assert ledger.check(db.engine)[1] == [] and audit.verify(db.engine)[1] == []


def test_bank_files_a_claim_from_its_parts_and_the_page_shows_them(client, parties, run_worker):
    pool_id, loan_id = _funded_pool_with_loan(client, parties, run_worker)
    sign_in(client, parties.banker)
    page = client.get(f"/pools/{pool_id}").get_data(as_text=True)
    assert "本资金池只补偿本金损失" in page and 'name="claim' in page
    url, prefix = f"/pools/{pool_id}/loans/{loan_id}/claims", f"claim{loan_id}"
    before = _counts()
    too_much = {
        "outstanding_principal": "500000.00",
        "accrued_interest": "30000.00",
        "collateral_realised": "510000.00",
    }
    response = post_form(client, url, prefix, **too_much, days_overdue="120")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "须小于资金池补偿范围内的未偿金额 500000.00 元，否则已无损失可补偿。" in page
    assert 'value="510000.00"' in page
    assert _counts() == before

    parts = too_much | {"collateral_realised": "120000.00"}
    response = post_form(client, url, prefix, **parts, days_overdue="120")
    assert response.status_code == 303, response.get_data(as_text=True)
    claim = db.session.scalar(select(PoolClaim))
    assert (claim.net_loss, claim.accrued_interest) == (Decimal("380000.00"), Decimal("30000.00"))
    page = client.get(f"/pools/{pool_id}").get_data(as_text=True)
    row = page[page.index(f'data-claim="{claim.id}"') :]
    assert "未偿本金 50万元，利息 3万元（不计入），处置回收 12万元" in row


def test_a_claim_filed_before_the_parts_were_kept_says_so(client, parties, run_worker):
    pool_id, loan_id = _funded_pool_with_loan(client, parties, run_worker)
    claim = _file_claim(client, parties, loan_id)
    # As migration 0018 left the claims filed before it: the net loss as typed, no parts.
    kept = db.session.get(PoolClaim, claim["id"])
    kept.outstanding_principal = kept.accrued_interest = kept.collateral_realised = None
    db.session.commit()
    read = client.get(f"/api/v1/claims/{claim['id']}", headers=auth(parties.sponsor)).json
    assert read["net_loss"] == "500000.00" and read["outstanding_principal"] is None
    sign_in(client, parties.sponsor)
    page = client.get(f"/pools/{pool_id}").get_data(as_text=True)
    assert "申报时直接填写净损失，未报明细" in page


def test_sponsor_records_the_opening_balance_from_the_pool_page(client, parties):
    pool_id = make_pool(parties.zone).id
    book_deposit(pool_id)  # the first booking, today
    sign_in(client, parties.banker)
    assert 'data-form="opening"' not in client.get(f"/pools/{pool_id}").get_data(as_text=True)
    sign_in(client, parties.sponsor)
    assert 'data-form="opening"' in client.get(f"/pools/{pool_id}").get_data(as_text=True)
    url = f"/pools/{pool_id}/opening-balance"
    before = row_counts(AuditEvent)
    response = post_form(client, url, "opening", dated_on=str(today()), amount="0")
    assert response.status_code == 422
    assert "不能小于 0.01。" in response.get_data(as_text=True)
    tomorrow = today() + timedelta(days=1)
    response = post_form(client, url, "opening", dated_on=str(tomorrow), amount="100.00")
    assert response.status_code == 422
    assert f"日期须在 2000-01-01 到 {today()} 之间。" in response.get_data(as_text=True)
    assert row_counts(AuditEvent) == before

    opened = today() - timedelta(days=90)
    response = post_form(client, url, "opening", dated_on=str(opened), amount="3000000.00")
    assert response.status_code == 303, response.get_data(as_text=True)
    page = client.get(f"/pools/{pool_id}").get_data(as_text=True)
    assert 'data-form="opening"' not in page
    assert f"期初余额（{opened}）" in page and 'data-stat="opening">300万元' in page
    assert ledger.balance(db.session, pool_subject(pool_id)) == Decimal("3000500.00")

    response = post_form(client, url, "opening", dated_on=str(opened), amount="2000000.00")
    assert response.status_code == 422
    assert f"该资金池已记有 {opened} 的期初余额 3000000.00 元，期初余额只记录一次。" in (
        response.get_data(as_text=True)
    )
