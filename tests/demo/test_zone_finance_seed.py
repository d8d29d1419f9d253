"""The demo's guidance sub-funds, readiness facts and listing rewards: deterministic and useful.

No app and no services, like tests/demo/test_seed.py: an in-memory SQLite database per seed.
"""

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from torchfin.demo.seed import seed_demo
from torchfin.models import (
    Base,
    Enterprise,
    GovernanceRecord,
    ListingEvent,
    ReadinessProfile,
    SubFund,
)
from torchfin.models.enums import ReadinessOutcome
from torchfin.services.funds.figures import sub_fund_figures
from torchfin.services.readiness.facts import gather_facts
from torchfin.services.readiness.rule_sets import PILOT_2006, evaluate

SMALL = {"enterprises": 60, "projects": 10, "institutions": 10, "mandates": 5}


@pytest.fixture(autouse=True)
def _app_context():
    """Overrides the suite-wide app context: these tests need no app and no services."""
    yield


def _seeded(seed: int = 20111) -> Session:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    session = Session(engine)
    seed_demo(session, seed=seed, **SMALL)
    return session


def _fingerprint(session: Session) -> list[tuple]:
    return [
        (f.name, f.size, [(p.enterprise_id, p.amount, p.placed_on) for p in f.placements])
        for f in session.scalars(select(SubFund).order_by(SubFund.id))
    ]


def test_same_seed_same_sub_funds():
    assert _fingerprint(_seeded()) == _fingerprint(_seeded())


def test_demo_sub_funds_keep_within_their_calls_and_one_breaches_its_caps():
    session = _seeded()
    funds = list(session.scalars(select(SubFund)))
    assert len(funds) == 3
    for fund in funds:
        figures = sub_fund_figures(fund, date(2026, 11, 25))
        assert 0 <= figures.deployed <= figures.called <= figures.size
    breached = {r.code for f in funds for r in sub_fund_figures(f, date(2026, 11, 25)).breached}
    assert {"guidance_stake", "not_largest_lp"} <= breached
    # Three NEEQ listings: filed then listed, filed only, listed.
    stages = [
        (e.enterprise_id, e.stage.value)
        for e in session.scalars(select(ListingEvent).order_by(ListingEvent.id))
    ]
    assert [stage for _, stage in stages] == ["filed", "listed", "filed", "listed"]
    assert len({enterprise for enterprise, _ in stages}) == 3


def test_demo_readiness_facts_give_every_outcome_mid_2025():
    session = _seeded()
    outcomes = Counter()
    for profile in session.scalars(select(ReadinessProfile)):
        enterprise = session.get(Enterprise, profile.enterprise_id)
        meetings = list(
            session.scalars(
                select(GovernanceRecord).where(GovernanceRecord.enterprise_id == enterprise.id)
            )
        )
        facts = gather_facts(enterprise, profile, meetings, date(2025, 6, 30))
        outcomes[evaluate(PILOT_2006, facts).outcome] += 1
    assert set(outcomes) == set(ReadinessOutcome), outcomes
