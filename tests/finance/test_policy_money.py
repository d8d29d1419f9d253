"""Policy money: approvals reserve budget under a row lock (never overdrawn, also concurrently),
payouts go through the gateway on a worker, once, booked from the zone's policy account, and
`flask ledger check` holds paid applications and booked payouts one to one."""

import threading
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories.policies import make_listing, zgc_policy
from torchfin.extensions import db
from torchfin.models import LedgerTransaction, Payment, PolicyApplication, PolicyBudget, User
from torchfin.models.base import utcnow
from torchfin.models.enums import ApplicationState, PaymentState
from torchfin.queues import Job, enqueue
from torchfin.services.errors import Conflict
from torchfin.services.finance import audit, ledger
from torchfin.services.finance.payments.sandbox import SandboxBehaviour
from torchfin.services.finance.policies import applications
from torchfin.services.finance.policies.applications import application_subject

LISTING = "zgc-listing-reward"


def _reviewing(parties, policy, stage: str, event=None) -> PolicyApplication:
    event = event or make_listing(parties)
    application = applications.apply(
        parties.sme, {"policy_id": policy.id, "subject": f"listing:{event.id}", "stage": stage}
    )
    return applications.act(parties.sponsor, application.id, "review", {})


def _reward_of_600k(parties, budget: str = "1000000.00"):
    return zgc_policy(
        parties.zone,
        LISTING,
        yearly_budget=budget,
        per_enterprise_cap=None,
        formula={"type": "stages", "stages": {"filing": "600000.00", "listing": "600000.00"}},
    )


def test_two_concurrent_approvals_of_600k_on_a_budget_of_1m_one_refused_naming_400k_left(
    app, parties
):
    policy = _reward_of_600k(parties)
    first = _reviewing(parties, policy, "filing").id
    second = _reviewing(parties, policy, "listing").id
    sponsor_id = parties.sponsor.id
    db.session.remove()
    barrier = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def approve(application_id: int) -> None:
        with app.app_context():
            user = db.session.get(User, sponsor_id)
            barrier.wait()
            try:
                applications.act(user, application_id, "approve", {})
                outcomes[application_id] = "approved"
            except Conflict as refused:
                outcomes[application_id] = refused.message
            finally:
                db.session.remove()

    threads = [threading.Thread(target=approve, args=(i,)) for i in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == [
        "approved",
        f"the {utcnow().year} budget of policy {LISTING} has 400,000.00 yuan left; "
        "600,000.00 cannot be approved",
    ]
    budget = db.session.scalar(select(PolicyBudget))
    assert (budget.amount, budget.reserved, budget.paid) == (
        Decimal("1000000.00"),
        Decimal("600000.00"),
        Decimal("0.00"),
    )
    states = sorted(a.state for a in db.session.scalars(select(PolicyApplication)))
    assert states == [ApplicationState.APPROVED, ApplicationState.REVIEWING]


def test_staged_reward_pays_1m_on_filing_and_2m_on_listing_once_through_the_worker(
    parties, run_worker
):
    policy = zgc_policy(parties.zone, LISTING)
    event = make_listing(parties)
    filing = _reviewing(parties, policy, "filing", event)
    listing = _reviewing(parties, policy, "listing", event)
    for application in (filing, listing):
        applications.act(parties.sponsor, application.id, "approve", {})
        applications.act(parties.sponsor, application.id, "pay", {})
    with pytest.raises(Conflict, match="payment in progress"):
        applications.act(parties.sponsor, filing.id, "pay", {})
    filing_id, policy_id, event_id = filing.id, policy.id, event.id
    sponsor_id, sme_id = parties.sponsor.id, parties.sme.id
    run_worker()
    paid = {a.stage: a for a in db.session.scalars(select(PolicyApplication))}
    assert {stage: (a.state, a.amount) for stage, a in paid.items()} == {
        "filing": (ApplicationState.PAID, Decimal("1000000.00")),
        "listing": (ApplicationState.PAID, Decimal("2000000.00")),
    }
    enterprise = ledger.account("enterprise", parties.enterprise_id)
    zone_policy = ledger.account("zone_policy", parties.zone_id)
    assert ledger.balance(db.session, enterprise) == Decimal("3000000.00")
    assert ledger.balance(db.session, zone_policy) == Decimal("-3000000.00")
    budget = db.session.scalar(select(PolicyBudget))
    assert (budget.reserved, budget.paid) == (Decimal("0.00"), Decimal("3000000.00"))
    # The job run again (a retry after a killed worker) changes nothing.
    payment_ids = list(db.session.scalars(select(Payment.id)))
    for payment_id in payment_ids:
        enqueue(Job.EXECUTE_PAYMENT, payment_id)
    run_worker()
    assert db.session.query(LedgerTransaction).count() == 2
    assert ledger.balance(db.session, enterprise) == Decimal("3000000.00")
    # Never twice: the paid stage refuses another payout and another application.
    sponsor, sme = db.session.get(User, sponsor_id), db.session.get(User, sme_id)
    with pytest.raises(Conflict, match="that is paid"):
        applications.act(sponsor, filing_id, "pay", {})
    with pytest.raises(Conflict, match="already has an application"):
        applications.apply(
            sme, {"policy_id": policy_id, "subject": f"listing:{event_id}", "stage": "filing"}
        )
    db.session.rollback()
    assert ledger.check(db.engine)[1] == []
    steps = [e.action for e in audit.timeline(db.session, application_subject(filing_id))]
    assert steps == ["apply", "review", "approve", "pay_requested", "pay"]
    settled = audit.timeline(db.session, application_subject(filing_id))[-1]
    assert settled.to_state == "paid" and settled.data["amount"] == "1000000.00"
    assert settled.data["gateway_reference"].startswith("SBX-")


def test_a_declined_payout_leaves_the_application_approved_and_the_budget_reserved(
    parties, run_worker, sandbox
):
    policy = zgc_policy(parties.zone, LISTING)
    application = _reviewing(parties, policy, "filing")
    applications.act(parties.sponsor, application.id, "approve", {})
    sandbox.configure(SandboxBehaviour(decline=frozenset({"policy_payout"})))
    applications.act(parties.sponsor, application.id, "pay", {})
    application_id = application.id
    run_worker()
    application = db.session.get(PolicyApplication, application_id)
    assert application.state == ApplicationState.APPROVED
    assert db.session.scalar(select(Payment.state)) == PaymentState.FAILED
    assert db.session.scalar(select(PolicyBudget.reserved)) == Decimal("1000000.00")
    assert ledger.check(db.engine)[1] == []


def test_ledger_check_finds_a_paid_application_without_its_booking(parties):
    policy = zgc_policy(parties.zone, LISTING)
    application = _reviewing(parties, policy, "filing")
    application.state = ApplicationState.PAID
    application.ledger_reference = "payment:999"
    db.session.commit()
    problems = ledger.check(db.engine)[1]
    assert [(p.reference, p.message) for p in problems] == [
        (f"policy_application:{application.id}", "paid, but no payout is booked")
    ]
