"""A hand-checked zone for the dashboard's policy figures: 中关村's three policies, six
applications of one enterprise in every state, the budget rows their approvals made, and a paid
application of 武汉东湖 that 中关村's figures must not count.

Loans (guarantee cases of the enterprise): A 5,000,000, B 2,000,000, C 1,000,000. This year:
- interest subsidy: A paid 108,750 (decided after 2 days), B approved 43,500 (1.5 days),
  C rejected 21,750 (3 days); budget 20,000,000, reserved 43,500, paid 108,750;
  last year's row: paid 500,000 of 20,000,000;
- guarantee-fee subsidy: A paid 50,000 (decided after 6 hours); budget 5,000,000, paid 50,000;
- listing reward: filing reviewing 1,000,000, listing applied 2,000,000; no budget row yet.

Expected: average days to decision 0.25 (fee), 2.17 (interest: 6.5 / 3), 1.69 for the zone
(6.75 / 4); financing per yuan: interest 5,000,000 / 108,750 = 45.98, fee 5,000,000 / 50,000
= 100.00, the zone 5,000,000 / 158,750 = 31.50 (loan A counted once although both its
interest and its fee were subsidised).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from tests.factories.finance import Parties, make_parties
from tests.factories.policies import make_listing, make_loan_case, zgc_policy
from tests.factories.registry import make_zone
from torchfin.extensions import db
from torchfin.models import Policy, PolicyApplication, PolicyBudget
from torchfin.models.base import utcnow
from torchfin.models.enums import ApplicationState

INTEREST = "zgc-loan-interest-subsidy"
FEE = "zgc-guarantee-fee-subsidy"
LISTING = "zgc-listing-reward"


@dataclass(frozen=True)
class PolicyWorld:
    """The parties of the world above and the year its budgets are of."""

    parties: Parties
    year: int


def _application(
    policy: Policy,
    parties: Parties,
    subject: str,
    amount: str,
    state: ApplicationState,
    decided_after: timedelta | None = None,
    stage: str = "",
) -> PolicyApplication:
    applied = datetime(utcnow().year, 1, 10, 9, 0, tzinfo=UTC)
    application = PolicyApplication(
        policy=policy,
        zone_id=policy.zone_id,
        policy_code=policy.code,
        enterprise_id=parties.enterprise.id,
        applicant_id=parties.sme.id,
        subject=subject,
        stage=stage,
        evaluation={},
        amount=Decimal(amount),
        state=state,
        applied_at=applied,
        decided_at=applied + decided_after if decided_after else None,
        budget_year=applied.year
        if state in (ApplicationState.APPROVED, ApplicationState.PAID)
        else None,
    )
    db.session.add(application)
    return application


def _budget(policy: Policy, year: int, reserved: str, paid: str) -> None:
    db.session.add(
        PolicyBudget(
            zone_id=policy.zone_id,
            policy_code=policy.code,
            year=year,
            amount=policy.yearly_budget,
            reserved=Decimal(reserved),
            paid=Decimal(paid),
        )
    )


def build_policy_world() -> PolicyWorld:
    """Build the zone described above."""
    parties = make_parties()
    year = utcnow().year
    interest = zgc_policy(parties.zone, INTEREST)
    fee = zgc_policy(parties.zone, FEE)
    listing_reward = zgc_policy(parties.zone, LISTING)
    a = make_loan_case(parties)
    b = make_loan_case(parties, principal="2000000.00")
    c = make_loan_case(parties, principal="1000000.00")
    listing = make_listing(parties)
    paid, days = ApplicationState.PAID, timedelta(days=1)
    _application(interest, parties, f"guarantee:{a.id}", "108750.00", paid, 2 * days)
    _application(
        interest, parties, f"guarantee:{b.id}", "43500.00", ApplicationState.APPROVED, 1.5 * days
    )
    _application(
        interest, parties, f"guarantee:{c.id}", "21750.00", ApplicationState.REJECTED, 3 * days
    )
    _application(fee, parties, f"guarantee:{a.id}", "50000.00", paid, timedelta(hours=6))
    for stage, amount, state in (
        ("filing", "1000000.00", ApplicationState.REVIEWING),
        ("listing", "2000000.00", ApplicationState.APPLIED),
    ):
        _application(listing_reward, parties, f"listing:{listing.id}", amount, state, stage=stage)
    _budget(interest, year, "43500.00", "108750.00")
    _budget(interest, year - 1, "0.00", "500000.00")
    _budget(fee, year, "0.00", "50000.00")
    db.session.commit()
    wuhan_interest = zgc_policy(make_zone("wuhan", "武汉东湖新技术开发区"), INTEREST)
    _application(wuhan_interest, parties, f"guarantee:{a.id}", "999.00", paid, days)
    db.session.commit()
    return PolicyWorld(parties, year)
