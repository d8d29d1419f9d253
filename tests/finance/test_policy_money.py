"""Policy money: approvals reserve budget under a row lock (never overdrawn, also concurrently),
payouts go through the gateway on a worker, once, booked from the zone's policy account, and
`flask ledger check` holds paid applications and booked payouts one to one."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories.policies import make_listing, zgc_policy
from torchfin.extensions import db
from torchfin.models import LedgerTransaction, Payment, PolicyApplication, PolicyBudget, User
from torchfin.models.base import utcnow
from torchfin.models.enums import (
    ApplicationState,
    ListingStage,
    ListingVenue,
    PaymentState,
    ReadinessOutcome,
)
from torchfin.queues import Job, enqueue
from torchfin.services.errors import Conflict, Invalid
from torchfin.services.finance import audit, incentives, ledger
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


def test_staged_reward_pays_1m_on_filing_then_2m_once_the_listing_is_recorded_never_twice(
    parties, run_worker
):
    policy = zgc_policy(parties.zone, LISTING)
    filed = make_listing(parties, stage=ListingStage.FILED, event_on=date(2025, 1, 8))
    # The filing accepted: the filing stage is approved and paid ...
    filing = _reviewing(parties, policy, "filing", filed)
    assert filing.evaluation["results"][-1]["evidence"]["en"] == (
        "chinext filing accepted on 2025-01-08: 300999."
    )
    applications.act(parties.sponsor, filing.id, "approve", {})
    applications.act(parties.sponsor, filing.id, "pay", {})
    with pytest.raises(Conflict, match="payment in progress"):
        applications.act(parties.sponsor, filing.id, "pay", {})
    filing_id, policy_id, filed_id = filing.id, policy.id, filed.id
    sponsor_id, sme_id = parties.sponsor.id, parties.sme.id
    run_worker()
    sponsor, sme = db.session.get(User, sponsor_id), db.session.get(User, sme_id)
    assert db.session.get(PolicyApplication, filing_id).state == ApplicationState.PAID
    # ... while the listing stage fails, offered without an amount and refused, until the
    # listing is recorded.
    offered = {o.stage: o for o in applications.offers(sme)}
    assert offered["listing"].evaluation.outcome == ReadinessOutcome.NOT_READY
    assert offered["listing"].evaluation.amount is None
    listing_data = {"policy_id": policy_id, "subject": f"listing:{filed_id}", "stage": "listing"}
    with pytest.raises(Invalid, match="listing_event failed") as refused:
        applications.apply(sme, listing_data)
    assert refused.value.errors == {"subject": ["Rule failed: listing_event."]}
    db.session.rollback()
    assert db.session.query(PolicyApplication).count() == 1
    listed = incentives.record_event(
        sponsor,
        {
            "enterprise_id": parties.enterprise_id,
            "venue": ListingVenue.CHINEXT,
            "stage": ListingStage.LISTED,
            "event_on": date(2025, 6, 18),
            "reference": "300999",
        },
    )
    # The listing is one more event of the same listing: its offers stay one per stage.
    offered = applications.offers(sme)
    assert [(o.subject, o.stage, o.application_id) for o in offered] == [
        (f"listing:{filed_id}", "filing", filing_id),
        (f"listing:{filed_id}", "listing", None),
    ]
    listing = applications.apply(sme, listing_data)
    assert listing.amount == Decimal("2000000.00")
    assert listing.evaluation["results"][-1]["evidence"]["en"] == (
        "chinext listed on 2025-06-18: 300999."
    )
    applications.act(sponsor, listing.id, "review", {})
    applications.act(sponsor, listing.id, "approve", {})
    applications.act(sponsor, listing.id, "pay", {})
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
    # Never twice: the paid stage refuses another payout and another application, whichever
    # event of the listing it names.
    sponsor, sme = db.session.get(User, sponsor_id), db.session.get(User, sme_id)
    with pytest.raises(Conflict, match="that is paid"):
        applications.act(sponsor, filing_id, "pay", {})
    for event_id in (filed_id, listed.id):
        for stage in ("filing", "listing"):
            with pytest.raises(Conflict, match="already has an application"):
                applications.apply(
                    sme, {"policy_id": policy_id, "subject": f"listing:{event_id}", "stage": stage}
                )
            db.session.rollback()
    assert db.session.query(PolicyApplication).count() == 2
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
