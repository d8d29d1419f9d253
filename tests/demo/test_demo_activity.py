"""The demo's activity steps as scripts/demo.sh runs them (`flask demo finance`, `flask match
rescore --no-follow`, `flask demo deals`) on a small seeded database with a real background
worker: what the demo users then see, the ledger and audit checks, and a second run that adds
nothing."""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from torchfin.demo.actors import demo_user
from torchfin.demo.guarantee_cases import CASES
from torchfin.demo.pipeline import PLAN, counts
from torchfin.demo.seed import seed_demo
from torchfin.extensions import db
from torchfin.models import (
    Deal,
    DealEvent,
    Follow,
    GuaranteeCase,
    Match,
    PoolClaim,
    Project,
    RiskPool,
)
from torchfin.models.enums import ClaimState, DealEventKind, GuaranteeState, MatchStatus, Role
from torchfin.services.finance import audit, guarantees, ledger, pool_figures, pools
from torchfin.services.matching import deals

# Big enough that the investor's two mandates pass their hard constraints with 19 projects.
SMALL = {"enterprises": 400, "projects": 800, "institutions": 12, "mandates": 24}


def _flask(app, *args: str) -> None:
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    db.session.rollback()  # see what the command and the worker committed


def _rows() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def _matches() -> list[tuple]:
    query = select(Match.project_id, Match.mandate_id, Match.score, Match.status)
    return sorted(db.session.execute(query).all())


def _expected_state(until: str) -> GuaranteeState:
    return GuaranteeState.APPLIED if until == "apply" else guarantees.MOVES[until].target


def test_demo_steps_fill_inbox_pipeline_cases_and_pools_once(app, background_worker, sandbox):
    seed_demo(db.session, **SMALL)
    _flask(app, "demo", "finance")
    _flask(app, "match", "rescore", "--no-follow")
    _flask(app, "demo", "deals")  # waits for the rescoring run to finish

    investor = demo_user(Role.INVESTOR)
    assert db.session.scalars(deals.inbox(investor, status=MatchStatus.SUGGESTED)).first()
    assert counts(investor.institution_id) == dict(PLAN)
    meeting = db.session.scalar(
        select(Deal).where(Deal.institution_id == investor.institution_id, Deal.next_action != "")
    )
    assert meeting.stage.key == "meeting" and meeting.match.status == MatchStatus.INTRODUCED
    kinds = db.session.scalars(select(DealEvent.kind).where(DealEvent.deal_id == meeting.id))
    assert DealEventKind.NOTE in set(kinds)
    # The enterprises of the deals opened are on the investor's watchlist.
    dealt = set(
        db.session.scalars(
            select(Project.enterprise_id)
            .join(Match, Match.project_id == Project.id)
            .join(Deal, Deal.match_id == Match.id)
            .where(Deal.institution_id == investor.institution_id)
        )
    )
    followed = db.session.scalars(select(Follow.enterprise_id).where(Follow.user_id == investor.id))
    assert dealt and set(followed) == dealt

    states = dict(db.session.execute(select(GuaranteeCase.purpose, GuaranteeCase.state)).all())
    assert states == {spec.purpose: _expected_state(spec.until) for spec in CASES}
    assert {GuaranteeState.COMPENSATED, GuaranteeState.RELEASED} <= set(states.values())
    assert guarantees.list_cases(demo_user(Role.GUARANTOR))
    assert guarantees.list_cases(demo_user(Role.SME))  # the showcase enterprise's own cases

    home = db.session.scalar(select(RiskPool).order_by(RiskPool.id))
    assert pools.is_sponsor(demo_user(Role.ZONE_ADMIN), home)
    claims = dict(
        db.session.execute(
            select(PoolClaim.state, PoolClaim.payable).where(PoolClaim.pool_id == home.id)
        ).all()
    )
    assert claims == {
        ClaimState.PAID: Decimal("450000.00"),
        ClaimState.REVIEWING: Decimal("250000.00"),
    }
    for pool in db.session.scalars(select(RiskPool)):
        figures = pool_figures.statement(
            pool.id, date(2020, 1, 1), date.today() + timedelta(days=1)
        )
        assert figures["reconciles"], figures
        assert figures["closing_balance"] == ledger.balance(db.session, f"pool:{pool.id}")
        assert figures["bad_loan_ratio"] <= pool.bad_loan_ratio_threshold
    home_figures = pool_figures.statement(
        home.id, date(2020, 1, 1), date.today() + timedelta(days=1)
    )
    # Deposits of 30m; 50 % of a 900,000 loss paid out; a third of it back from a 300,000 recovery.
    assert (home_figures["deposits"], home_figures["payouts"], home_figures["recoveries"]) == (
        Decimal("30000000.00"),
        Decimal("450000.00"),
        Decimal("150000.00"),
    )
    assert ledger.check(db.engine)[1] == [] and audit.verify(db.engine)[1] == []
    _flask(app, "ledger", "check")
    _flask(app, "audit", "verify")

    before, scored = _rows(), _matches()
    _flask(app, "demo", "finance")
    _flask(app, "demo", "deals")
    assert _rows() == before
    # Rescoring again (a new run record) leaves the matches and the investor's statuses alone.
    _flask(app, "match", "rescore", "--no-follow")
    _flask(app, "demo", "deals")
    assert _matches() == scored and counts(investor.institution_id) == dict(PLAN)
