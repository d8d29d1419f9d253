"""Many clients at once against real gunicorn: each move, payment and approval takes effect once.

Eight requests are released together by a barrier, on SQLite and on PostgreSQL alike. Each
scenario asserts one effect, 409 for the rest, no 5xx, a balanced ledger that keeps the
workflows' promises (`ledger.check`) and intact audit chains. A money-moving request sent eight
times makes exactly one Payment row, and that payment is the only ledger transaction booked.
"""

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories.accounts import auth
from tests.factories.finance import loss_parts, make_pool
from tests.live_server import serve
from torchfin.extensions import db
from torchfin.models import AuditEvent, LedgerTransaction, Payment
from torchfin.models.enums import PaymentPurpose, PaymentState
from torchfin.services.finance import audit, ledger

CLIENTS = 8

# Gunicorn's 2 processes x 4 threads and eight requests released at once: alone, in the serial pass.
pytestmark = pytest.mark.serial


@pytest.fixture(scope="module")
def server(app):
    """Gunicorn serving this run's database, index and queues."""
    yield from serve()


def _statuses(answers) -> Counter:
    return Counter(answer.status for answer in answers)


def _books_and_chains_hold() -> None:
    assert ledger.check(db.engine)[1] == []
    assert audit.verify(db.engine)[1] == []


def _booked() -> set[str]:
    """The references of every ledger transaction (`payment:<id>` for a payment's booking)."""
    db.session.rollback()  # see what gunicorn and the workers committed since
    return set(db.session.scalars(select(LedgerTransaction.reference)))


def _each_paid_once(subjects: list[str], booked_before: set[str]) -> list[Payment]:
    """Each of `subjects` has exactly one Payment row, succeeded, and the ledger transactions
    booked since `booked_before` are exactly one per payment: the payments' own."""
    payments = []
    for subject in subjects:
        rows = db.session.scalars(select(Payment).where(Payment.subject == subject)).all()
        assert [row.state for row in rows] == [PaymentState.SUCCEEDED], subject
        payments.append(rows[0])
    assert _booked() - booked_before == {f"payment:{payment.id}" for payment in payments}
    return payments


def _ok(answer, status: int = 200) -> dict:
    assert answer.status == status, answer.body
    return answer.body


CASE_STEPS = [
    ("accept", {}),
    ("start_due_diligence", {}),
    ("submit_risk_review", {"due_diligence_report": "经营稳定"}),
    ("submit_to_committee", {"risk_opinion": "风险可控"}),
    ("approve", {"committee_resolution": "同意"}),
    ("sign_contract", {"contract_no": "BZ-1", "counter_guarantees": ["专利权质押"]}),
]


def _case_before(server, parties, action: str) -> int:
    """A guarantee case applied for and taken through the API up to just before `action`."""
    application = {
        "bank_id": parties.bank_id,
        "agency_id": parties.agency_id,
        "principal": "120000.00",
        "term_months": 12,
        "loan_rate": "0.0435",
        "fee_rate": "0.0200",
    }
    created = server.call("POST", "/api/v1/guarantees", auth(parties.sme), application)
    case_id = _ok(created, 201)["id"]
    headers = auth(parties.guarantor)
    for name, body in CASE_STEPS:
        if name == action:
            break
        _ok(server.call("POST", f"/api/v1/guarantees/{case_id}/{name}", headers, body))
    return case_id


def _same_request(method: str, path: str, headers: dict, body: object = None) -> list:
    return [(method, path, headers, body)] * CLIENTS


def test_the_same_move_sent_eight_times_is_taken_once(server, parties):
    case_id = _case_before(server, parties, "accept")
    answers = server.at_once(
        _same_request("POST", f"/api/v1/guarantees/{case_id}/accept", auth(parties.guarantor), {})
    )
    assert _statuses(answers) == {200: 1, 409: CLIENTS - 1}
    accepted = select(func.count(AuditEvent.id)).where(
        AuditEvent.subject == f"guarantee:{case_id}", AuditEvent.action == "accept"
    )
    assert db.session.scalar(accepted) == 1
    _books_and_chains_hold()


def test_the_fee_requested_eight_times_is_paid_once(server, parties, run_worker):
    case_id = _case_before(server, parties, "collect_fee")
    path = f"/api/v1/guarantees/{case_id}/collect_fee"
    booked_before = _booked()
    answers = server.at_once(_same_request("POST", path, auth(parties.guarantor), {}))
    assert _statuses(answers) == {200: 1, 409: CLIENTS - 1}
    run_worker()
    [fee] = _each_paid_once([f"guarantee:{case_id}"], booked_before)
    assert (fee.purpose, fee.amount) == (PaymentPurpose.GUARANTEE_FEE, Decimal("2400.00"))
    case = server.call("GET", f"/api/v1/guarantees/{case_id}", auth(parties.guarantor)).body
    assert case["state"] == "fee_collected"
    _books_and_chains_hold()


def _fund_pool(server, parties, run_worker, amount: str) -> int:
    pool_id = make_pool(parties.zone).id
    deposit = server.call(
        "POST", f"/api/v1/pools/{pool_id}/deposits", auth(parties.sponsor), {"amount": amount}
    )
    _ok(deposit, 202)
    run_worker()
    return pool_id


def _claims_under_review(server, parties, pool_id: int) -> list[int]:
    """Two loans registered, then defaulted: their claims of 80,000.00 payable each."""
    banker, sponsor = auth(parties.banker), auth(parties.sponsor)
    loan_ids = []
    for number in (1, 2):  # both registered before either defaults (the bad-loan ratio)
        loan = {
            "enterprise_id": parties.enterprise_id,
            "loan_no": f"L-{number}",
            "principal": "200000.00",
            "maturity_on": str(date.today() + timedelta(days=365)),
        }
        registered = server.call("POST", f"/api/v1/pools/{pool_id}/loans", banker, loan)
        loan_ids.append(_ok(registered, 201)["id"])
    claim_ids = []
    for loan_id in loan_ids:
        filed = server.call(
            "POST",
            f"/api/v1/pool-loans/{loan_id}/claims",
            banker,
            {**loss_parts("160000.00"), "days_overdue": 120},
        )
        claim_ids.append(_ok(filed, 201)["id"])
        _ok(server.call("POST", f"/api/v1/claims/{claim_ids[-1]}/review", sponsor, {}))
    return claim_ids


def test_competing_approvals_never_promise_more_than_the_pool_holds(server, parties, run_worker):
    pool_id = _fund_pool(server, parties, run_worker, "100000.00")
    first, second = _claims_under_review(server, parties, pool_id)
    sponsor = auth(parties.sponsor)
    answers = server.at_once(
        [("POST", f"/api/v1/claims/{claim_id}/approve", sponsor, {}) for claim_id in [first] * 4]
        + [("POST", f"/api/v1/claims/{claim_id}/approve", sponsor, {}) for claim_id in [second] * 4]
    )
    assert _statuses(answers[:4]) == {200: 1, 409: 3}
    assert _statuses(answers[4:]) == {200: 1, 409: 3}
    payables = sorted(Decimal(answer.body["payable"]) for answer in answers if answer.status == 200)
    # 50 % of 160,000 is 80,000 each; whichever came second gets what the pool had left.
    assert payables == [Decimal("20000.00"), Decimal("80000.00")]
    _books_and_chains_hold()
    booked_before = _booked()
    answers = server.at_once(
        [("POST", f"/api/v1/claims/{claim_id}/pay", sponsor, {}) for claim_id in [first] * 4]
        + [("POST", f"/api/v1/claims/{claim_id}/pay", sponsor, {}) for claim_id in [second] * 4]
    )
    assert _statuses(answers[:4]) == {200: 1, 409: 3}
    assert _statuses(answers[4:]) == {200: 1, 409: 3}
    run_worker()
    _each_paid_once([f"claim:{first}", f"claim:{second}"], booked_before)
    balance = ledger.balance(db.session, f"pool:{pool_id}")
    assert balance == Decimal("0.00")
    _books_and_chains_hold()


def test_eight_deposits_at_once_book_what_was_accepted_and_nothing_fails(
    server, parties, run_worker
):
    pool_id = make_pool(parties.zone).id
    path = f"/api/v1/pools/{pool_id}/deposits"
    booked_before = _booked()
    answers = server.at_once(
        [("POST", path, auth(parties.sponsor), {"amount": "1000.00"})] * CLIENTS
    )
    statuses = _statuses(answers)
    # One payment at a time per pool: the first is accepted, the others told to wait.
    assert statuses == {202: 1, 409: CLIENTS - 1}
    run_worker()
    _each_paid_once([f"pool:{pool_id}"], booked_before)
    assert ledger.balance(db.session, f"pool:{pool_id}") == Decimal("1000.00")
    _books_and_chains_hold()


def test_a_deposit_retried_with_its_idempotency_key_is_booked_once(server, parties, run_worker):
    pool_id = make_pool(parties.zone).id
    headers = auth(parties.sponsor) | {"Idempotency-Key": "deposit-2026-12-04-001"}
    request = ("POST", f"/api/v1/pools/{pool_id}/deposits", headers, {"amount": "1000.00"})
    booked_before = _booked()
    answers = server.at_once([request] * CLIENTS)
    first = [answer for answer in answers if answer.status == 202]
    assert len(first) >= 1 and all(answer.status in (202, 409) for answer in answers)
    # Those that arrived while the first was still being answered were told so; those after
    # it got its answer again: the same payment.
    assert {answer.body["id"] for answer in first} == {first[0].body["id"]}
    run_worker()
    retry = server.call(*request)
    assert retry.status == 202 and retry.body["id"] == first[0].body["id"]
    assert retry.headers.get("Idempotent-Replayed") == "true"
    [payment] = _each_paid_once([f"pool:{pool_id}"], booked_before)
    assert payment.id == first[0].body["id"]
    assert ledger.balance(db.session, f"pool:{pool_id}") == Decimal("1000.00")
    _books_and_chains_hold()


def test_an_idempotency_key_reused_for_another_request_is_refused(server, parties):
    pool_id = make_pool(parties.zone).id
    headers = auth(parties.sponsor) | {"Idempotency-Key": "same-key"}
    path = f"/api/v1/pools/{pool_id}/deposits"
    assert server.call("POST", path, headers, {"amount": "1000.00"}).status == 202
    other = server.call("POST", path, headers, {"amount": "2000.00"})
    assert other.status == 422
    assert other.body["errors"]["headers"]["Idempotency-Key"] == [
        "This key was used for a different request; use a new key."
    ]
    bad = server.call("POST", path, auth(parties.sponsor) | {"Idempotency-Key": "é" * 3}, {})
    assert bad.status == 422 and "Idempotency-Key" in bad.body["errors"]["headers"]
