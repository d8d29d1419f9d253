"""Risk-compensation pools: registration limits, claim arithmetic, payouts, recoveries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories.accounts import auth
from tests.factories.finance import book_deposit, loss_parts, make_pool, today
from tests.factories.registry import credit_code
from torchfin.extensions import db
from torchfin.models import Enterprise, PoolClaim, PoolLoan
from torchfin.services.finance import audit, ledger


def _fund(client, parties, pool_id: int, amount: str, run_worker) -> None:
    response = client.post(
        f"/api/v1/pools/{pool_id}/deposits", json={"amount": amount}, headers=auth(parties.sponsor)
    )
    assert response.status_code == 202, response.json
    run_worker()


def _loan(client, parties, pool_id: int, principal: str, status: int = 201, **extra) -> dict:
    body = {
        "enterprise_id": parties.enterprise_id,
        "loan_no": f"L-{principal}-{extra.get('n', 0)}",
        "principal": principal,
        "maturity_on": str(today() + timedelta(days=365)),
    }
    response = client.post(
        f"/api/v1/pools/{pool_id}/loans", json=body, headers=auth(parties.banker)
    )
    assert response.status_code == status, response.json
    return response.json


def _claim(client, parties, loan_id: int, net_loss: str, days: int = 120, status: int = 201):
    response = client.post(
        f"/api/v1/pool-loans/{loan_id}/claims",
        json={**loss_parts(net_loss), "days_overdue": days},
        headers=auth(parties.banker),
    )
    assert response.status_code == status, response.json
    return response.json


def _claim_action(client, user, claim_id: int, action: str, status: int = 200, **body) -> dict:
    response = client.post(f"/api/v1/claims/{claim_id}/{action}", json=body, headers=auth(user))
    assert response.status_code == status, response.json
    return response.json


def test_payable_is_the_least_of_the_four_limits_with_its_working(client, parties, run_worker):
    pool_id = make_pool(parties.zone).id
    _fund(client, parties, pool_id, "10000000.00", run_worker)
    big = _loan(client, parties, pool_id, "6000000.00")
    small = _loan(client, parties, pool_id, "800000.00", n=2)
    claim = _claim(client, parties, big["id"], "5000000.00")
    # 50 % of 5m = 2.5m, capped per loan at 2m
    assert claim["payable"] == "2000000.00" and claim["working"]["binding"] == "per_loan_cap"
    assert claim["working"]["limits"]["coverage_of_net_loss"] == "2500000.00"
    claim2 = _claim(client, parties, small["id"], "600001.00")
    assert claim2["payable"] == "300000.50"  # 50 % of the net loss, half up
    assert claim2["working"]["binding"] == "coverage_of_net_loss"


def test_claim_review_approve_pay_and_recovery_flow_back_pro_rata(client, parties, run_worker):
    pool_id = make_pool(parties.zone).id
    _fund(client, parties, pool_id, "1000000.00", run_worker)
    loan = _loan(client, parties, pool_id, "3000000.00")
    claim = _claim(client, parties, loan["id"], "3000000.00")
    assert claim["payable"] == "1000000.00"  # the pool balance binds
    assert claim["working"]["binding"] == "pool_balance_available"
    sponsor = parties.sponsor
    assert _claim_action(client, parties.banker, claim["id"], "review", 403)
    _claim_action(client, sponsor, claim["id"], "review")
    refused = _claim_action(client, sponsor, claim["id"], "pay", 409)
    assert "reviewing" in refused["message"] and "approve, reject" in refused["message"]
    approved = _claim_action(client, sponsor, claim["id"], "approve")
    assert approved["state"] == "approved" and approved["allowed_actions"] == ["pay"]
    _claim_action(client, sponsor, claim["id"], "pay")
    run_worker()
    claim = client.get(f"/api/v1/claims/{claim['id']}", headers=auth(parties.banker)).json
    assert claim["state"] == "paid"
    pool_account = f"pool:{pool_id}"
    assert ledger.balance(db.session, pool_account) == Decimal("0.00")
    # The bank recovers 900,000; the pool paid 1m of a 3m loss, so a third comes back.
    response = client.post(
        f"/api/v1/claims/{claim['id']}/recoveries",
        json={"recovered": "900000.00"},
        headers=auth(parties.banker),
    )
    assert response.status_code == 202 and response.json["amount"] == "300000.00"
    run_worker()
    assert ledger.balance(db.session, pool_account) == Decimal("300000.00")
    assert ledger.check(db.engine)[1] == [] and audit.verify(db.engine)[1] == []

    statement = client.get(
        f"/api/v1/pools/{pool_id}/statement?start={today() - timedelta(days=1)}&end={today()}",
        headers=auth(parties.banker),
    ).json
    assert statement["opening_balance"] == "0.00"
    assert (statement["deposits"], statement["payouts"], statement["recoveries"]) == (
        "1000000.00",
        "1000000.00",
        "300000.00",
    )
    assert statement["closing_balance"] == "300000.00" and statement["reconciles"]
    assert statement["registrations"] == {"count": 1, "principal": "3000000.00"}
    assert statement["bad_loan_ratio"] == "1.0000"


def test_registration_refused_above_the_bad_loan_ratio(client, parties, run_worker):
    pool_id = make_pool(parties.zone).id
    _fund(client, parties, pool_id, "1000000.00", run_worker)
    loans = [_loan(client, parties, pool_id, "1000000.00", n=i) for i in range(20)]
    _claim(client, parties, loans[0]["id"], "500000.00")  # 1 of 20 = 5 %: still accepted
    _loan(client, parties, pool_id, "1000000.00", n=99)
    _claim(client, parties, loans[1]["id"], "500000.00")  # 2 of 21 > 5 %
    refused = _loan(client, parties, pool_id, "1000000.00", 409, n=100)
    assert "9.52%" in refused["message"] and "5.00%" in refused["message"]


def test_yearly_cap_limits_approvals_and_claims_need_days_overdue(client, parties, run_worker):
    pool_id = make_pool(parties.zone, yearly_cap=Decimal("2500000.00")).id
    _fund(client, parties, pool_id, "9000000.00", run_worker)
    early = _loan(client, parties, pool_id, "1000000.00", n=1)
    refused = _claim(client, parties, early["id"], "900000.00", days=30, status=422)
    assert "days_overdue" in refused["errors"]["json"]
    first, second = (_loan(client, parties, pool_id, "5000000.00", n=i) for i in (2, 3))
    for loan in (first, second):
        claim = _claim(client, parties, loan["id"], "4000000.00")
        _claim_action(client, parties.sponsor, claim["id"], "review")
        approved = _claim_action(client, parties.sponsor, claim["id"], "approve")
    assert approved["payable"] == "500000.00"
    assert approved["working"]["binding"] == "yearly_cap_left"


def test_dashboard_shows_balance_exposure_claims_and_history(client, parties, run_worker):
    pool_id = make_pool(parties.zone).id
    _fund(client, parties, pool_id, "3000000.00", run_worker)
    _loan(client, parties, pool_id, "1000000.00", n=1)
    loan = _loan(client, parties, pool_id, "1000000.00", n=2)
    _claim(client, parties, loan["id"], "800000.00")
    board = client.get(f"/api/v1/pools/{pool_id}", headers=auth(parties.sme)).json
    assert board["balance"] == "3000000.00" and board["exposure"] == "500000.00"
    assert board["bad_loan_ratio"] == "0.5000"
    assert board["claims"] == [{"state": "filed", "count": 1, "payable": "400000.00"}]
    assert len(board["history"]) == 12 and board["history"][-1]["month"] == today().strftime(
        "%Y-%m"
    )
    assert board["history"][-1]["balance"] == "3000000.00"


def test_month_ends_cross_the_year():
    from torchfin.services.finance.pool_figures import month_ends

    assert month_ends(date(2025, 2, 10), 3) == [
        date(2024, 12, 31),
        date(2025, 1, 31),
        date(2025, 2, 28),
    ]


def test_a_deposit_booked_while_the_statement_is_read_leaves_it_reconciling(
    client, parties, commit_during
):
    pool_id = make_pool(parties.zone).id
    book_deposit(pool_id)
    # The statement reads the balances, then the day's flows: the second deposit commits between.
    commit_during("ledger_transaction", lambda: book_deposit(pool_id, number=2))
    url = f"/api/v1/pools/{pool_id}/statement?start={today()}&end={today()}"
    first = client.get(url, headers=auth(parties.sponsor)).json
    assert (first["deposits"], first["closing_balance"], first["reconciles"]) == (
        "500.00",
        "500.00",
        True,
    )
    again = client.get(url, headers=auth(parties.sponsor)).json
    assert (again["deposits"], again["closing_balance"], again["reconciles"]) == (
        "1000.00",
        "1000.00",
        True,
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start=2024-01-01&end=9999-12-31", "end"),
        ("start=0001-01-01&end=2024-12-31", "start"),
        ("start=1900-01-01&end=2024-12-31", "start"),
        (f"start=2024-01-01&end={today() + timedelta(days=400)}", "end"),
    ],
)
def test_a_statement_period_outside_its_window_is_a_422_naming_the_day(
    client, parties, query, field
):
    """The day after a year-9999 end overflowed (500); a period is read within 2000..today+1y."""
    pool_id = make_pool(parties.zone).id
    response = client.get(
        f"/api/v1/pools/{pool_id}/statement?{query}", headers=auth(parties.sponsor)
    )
    assert response.status_code == 422, response.json
    errors = response.json["errors"]["query"]
    assert list(errors) == [field] and "2000-01-01" in errors[field][0], errors


def _loan_body(**reference) -> dict:
    return {
        "loan_no": "JK-2026-001",
        "principal": "1000000.00",
        "maturity_on": str(today() + timedelta(days=365)),
        **reference,
    }


def test_a_bank_names_the_borrower_by_its_credit_code(client, parties):
    pool_id = make_pool(parties.zone).id
    code = db.session.get(Enterprise, parties.enterprise_id).credit_code
    url, headers = f"/api/v1/pools/{pool_id}/loans", auth(parties.banker)
    # As copied from a contract: surrounding blanks and lower case are forgiven.
    response = client.post(url, json=_loan_body(credit_code=f" {code.lower()} "), headers=headers)
    assert response.status_code == 201, response.json
    assert response.json["enterprise_id"] == parties.enterprise_id
    assert "credit_code" not in response.json
    loan = db.session.get(PoolLoan, response.json["id"])
    assert (loan.enterprise_id, loan.principal) == (parties.enterprise_id, Decimal("1000000.00"))


def test_a_borrower_named_wrongly_is_refused_on_its_field_and_nothing_is_registered(
    client, parties
):
    pool_id = make_pool(parties.zone).id
    code = db.session.get(Enterprise, parties.enterprise_id).credit_code
    mistyped = code[:-1] + ("0" if code[-1] != "0" else "1")
    refusals = [
        (
            {"credit_code": credit_code(987654)},
            "credit_code",
            "No enterprise has this credit code.",
        ),
        ({"credit_code": mistyped}, "credit_code", "code_check: check character fails"),
        (
            {"credit_code": code, "enterprise_id": parties.enterprise_id},
            "enterprise_id",
            "Give the credit code or the id, not both.",
        ),
        ({}, "credit_code", "Give the enterprise's credit code or its id."),
        ({"enterprise_id": 2**31 - 1}, "enterprise_id", "No enterprise with this id."),
    ]
    for reference, field, message in refusals:
        response = client.post(
            f"/api/v1/pools/{pool_id}/loans",
            json=_loan_body(**reference),
            headers=auth(parties.banker),
        )
        assert response.status_code == 422, reference
        [said] = response.json["errors"]["json"][field]
        assert said.startswith(message), (reference, said)
    assert db.session.scalar(select(func.count(PoolLoan.id))) == 0


def _parts(principal: str, interest: str, realised: str) -> dict:
    return {
        "outstanding_principal": principal,
        "accrued_interest": interest,
        "collateral_realised": realised,
        "days_overdue": 120,
    }


def _file(client, parties, loan_id: int, body: dict):
    return client.post(
        f"/api/v1/pool-loans/{loan_id}/claims", json=body, headers=auth(parties.banker)
    )


def test_the_platform_works_out_the_net_loss_from_the_parts_and_keeps_them(client, parties):
    principal_only = make_pool(parties.zone).id
    book_deposit(principal_only)
    loan = _loan(client, parties, principal_only, "1000000.00")
    response = _file(client, parties, loan["id"], _parts("800000.00", "40000.00", "150000.00"))
    assert response.status_code == 201, response.json
    claim = response.json
    # 800,000 outstanding - 150,000 realised; the interest is not covered by this pool.
    assert (claim["net_loss"], claim["interest_covered"]) == ("650000.00", False)
    assert (claim["outstanding_principal"], claim["accrued_interest"]) == ("800000.00", "40000.00")
    assert claim["collateral_realised"] == "150000.00"
    assert claim["working"]["limits"]["coverage_of_net_loss"] == "325000.00"
    kept = db.session.get(PoolClaim, claim["id"])
    assert (kept.net_loss, kept.outstanding_principal, kept.collateral_realised) == (
        Decimal("650000.00"),
        Decimal("800000.00"),
        Decimal("150000.00"),
    )
    [filed] = audit.timeline(db.session, f"claim:{claim['id']}")
    assert filed.data["loss"] == {
        "outstanding_principal": "800000.00",
        "accrued_interest": "40000.00",
        "interest_counted": "0.00",
        "collateral_realised": "150000.00",
        "net_loss": "650000.00",
    }
    read = client.get(f"/api/v1/claims/{claim['id']}", headers=auth(parties.sponsor)).json
    assert (read["net_loss"], read["accrued_interest"]) == ("650000.00", "40000.00")

    # A pool whose terms cover interest counts it: 800,000 + 40,000 - 150,000.
    terms = {
        "name": "利息也补偿的资金池",
        "sponsor": "区财政局",
        "zone_id": parties.zone_id,
        "coverage": "0.5000",
        "per_loan_cap": "2000000.00",
        "yearly_cap": "5000000.00",
        "days_overdue_threshold": 90,
        "bad_loan_ratio_threshold": "0.0500",
        "covers_interest": True,
    }
    created = client.post("/api/v1/pools", json=terms, headers=auth(parties.sponsor))
    assert created.status_code == 201 and created.json["covers_interest"] is True, created.json
    book_deposit(created.json["id"])
    loan = _loan(client, parties, created.json["id"], "1000000.00", n=2)
    claim = _file(client, parties, loan["id"], _parts("800000.00", "40000.00", "150000.00")).json
    assert (claim["net_loss"], claim["interest_covered"]) == ("690000.00", True)


@pytest.mark.parametrize(
    ("parts", "field", "message"),
    [
        # Realised money at or above what the pool covers leaves no loss: the 80,000 of interest
        # does not count in a pool that covers principal only.
        (
            ("500000.00", "80000.00", "520000.00"),
            "collateral_realised",
            "Must be less than the outstanding amount of 500000.00.",
        ),
        (
            ("500000.00", "0.00", "500000.00"),
            "collateral_realised",
            "Must be less than the outstanding amount of 500000.00.",
        ),
        (
            ("1000000.01", "0.00", "0.00"),
            "outstanding_principal",
            "Cannot exceed the loan's principal of 1000000.00.",
        ),
        (("500000.00", "-1.00", "0.00"), "accrued_interest", "Must be at least 0."),
        (("500000.00", "0.00", "-0.01"), "collateral_realised", "Must be at least 0."),
        (("0.00", "0.00", "0.00"), "outstanding_principal", "Must be at least 1."),
    ],
)
def test_parts_that_cannot_be_are_a_422_on_their_field_and_nothing_is_filed(
    client, parties, parts, field, message
):
    pool_id = make_pool(parties.zone).id
    loan = _loan(client, parties, pool_id, "1000000.00")
    response = _file(client, parties, loan["id"], _parts(*parts))
    assert response.status_code == 422, response.json
    assert response.json["errors"]["json"] == {field: [message]}
    assert db.session.scalar(select(func.count(PoolClaim.id))) == 0
    assert db.session.get(PoolLoan, loan["id"]).state == "active"


def test_a_net_loss_typed_by_the_bank_is_no_longer_taken(client, parties):
    pool_id = make_pool(parties.zone).id
    loan = _loan(client, parties, pool_id, "1000000.00")
    response = _file(client, parties, loan["id"], {"net_loss": "500000.00", "days_overdue": 120})
    assert response.status_code == 422
    errors = response.json["errors"]["json"]
    assert set(errors) == {
        "net_loss",
        "outstanding_principal",
        "accrued_interest",
        "collateral_realised",
    }
    assert db.session.scalar(select(func.count(PoolClaim.id))) == 0
