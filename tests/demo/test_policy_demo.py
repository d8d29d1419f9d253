"""The demo's 中关村 policies: three declared from the reviewed file, applications in every state,
the paid ones paid by a real worker through the sandbox gateway, and a second run adds nothing."""

from decimal import Decimal

from sqlalchemy import func, select

from torchfin.demo.actors import enterprise_contact
from torchfin.demo.finance import run_finance
from torchfin.demo.policies import INTEREST, LISTING, SPECS
from torchfin.demo.seed import seed_demo
from torchfin.extensions import db
from torchfin.models import ListingEvent, Policy, PolicyApplication
from torchfin.models.enums import ApplicationState, ListingStage, ReadinessOutcome
from torchfin.services.finance import audit, ledger
from torchfin.services.finance.policies import applications

SMALL = {"enterprises": 60, "projects": 10, "institutions": 10, "mandates": 5}


def _applications() -> list[tuple]:
    return sorted(
        db.session.execute(
            select(
                PolicyApplication.policy_code,
                PolicyApplication.stage,
                PolicyApplication.state,
                PolicyApplication.amount,
            )
        ).all()
    )


def test_demo_policies_have_applications_in_every_state_paid_through_the_worker(
    app, run_worker, sandbox
):
    seed_demo(db.session, **SMALL)
    run_finance(wait=run_worker)
    db.session.rollback()
    codes = sorted(db.session.scalars(select(Policy.code)))
    assert codes == [
        "zgc-guarantee-fee-subsidy",
        "zgc-listing-reward",
        "zgc-loan-interest-subsidy",
    ]
    made = _applications()
    assert {state for _, _, state, _ in made} == set(ApplicationState)
    assert sorted(state for _, _, state, _ in made) == sorted(spec.state for spec in SPECS)
    paid = {(code, stage): amount for code, stage, state, amount in made if state == "paid"}
    # 50 % of the interest on 3,000,000 at 4.35 % for 12 months; the filing stage's fixed sum.
    assert paid == {
        (INTEREST, ""): Decimal("65250.00"),
        (LISTING, "filing"): Decimal("1000000.00"),
    }
    assert ledger.check(db.engine)[1] == [] and audit.verify(db.engine)[1] == []
    # One listing was only filed: its filing stage is paid, its listing stage not reachable yet;
    # the one filed then listed has both stages applied for.
    stages: dict[int, list[ListingStage]] = {}
    for event in db.session.scalars(select(ListingEvent).order_by(ListingEvent.id)):
        stages.setdefault(event.enterprise_id, []).append(event.stage)
    for path, waiting in (
        ([ListingStage.FILED], True),
        ([ListingStage.FILED, ListingStage.LISTED], False),
    ):
        enterprise_id = next(e for e, recorded in stages.items() if recorded == path)
        offered = {
            o.stage: o
            for o in applications.offers(enterprise_contact(enterprise_id))
            if o.policy.code == LISTING
        }
        filing = db.session.get(PolicyApplication, offered["filing"].application_id)
        assert (filing.state, filing.amount) == (ApplicationState.PAID, Decimal("1000000.00"))
        listing = offered["listing"]
        assert (listing.application_id is None) == waiting
        assert (listing.evaluation.outcome == ReadinessOutcome.NOT_READY) == waiting
        assert listing.evaluation.amount == (None if waiting else Decimal("2000000.00"))
    db.session.rollback()
    rows = db.session.scalar(select(func.count()).select_from(PolicyApplication))
    run_finance(wait=run_worker)
    db.session.rollback()
    assert _applications() == made
    assert db.session.scalar(select(func.count()).select_from(PolicyApplication)) == rows
