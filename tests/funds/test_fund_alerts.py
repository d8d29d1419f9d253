"""The periodic fund-alert job in a real worker: raised once, resolved when cleared."""

from tests.factories.funds import AS_OF, build_world
from torchfin.extensions import db
from torchfin.models import FundAlert
from torchfin.queues import Job, enqueue
from torchfin.services.funds.alerts import refresh_alerts


def _open() -> set[tuple[int, str]]:
    db.session.expire_all()
    return {
        (a.sub_fund_id, a.code)
        for a in db.session.query(FundAlert).filter(FundAlert.resolved_at.is_(None))
    }


def test_alert_job_raises_each_condition_once(run_worker):
    world = build_world()
    early, growth = world.early_id, world.growth_id
    expected = {
        # Today (after the 2025 end of its investment period) the early fund's in-zone
        # placements (25m) are 1.25x its 20m commitment, short of 1.5x; 15m has been idle
        # since the 2022-03-01 call.
        (early, "reinvestment"),
        (early, "idle_money"),
        (growth, "guidance_stake"),
        (growth, "not_largest_lp"),
        (growth, "reinvestment"),
        (growth, "early_stage_share"),
    }
    for _ in range(2):
        enqueue(Job.REFRESH_FUND_ALERTS)
        run_worker()
        assert _open() == expected
    assert db.session.query(FundAlert).count() == len(expected)


def test_a_cleared_condition_resolves_its_alert():
    world = build_world()
    refresh_alerts(AS_OF.replace(year=2026))
    run = refresh_alerts(AS_OF)  # in 2023 the reinvestment target was still pending
    assert (run.opened, run.resolved) == (0, 1)
    assert (world.early_id, "reinvestment") not in _open()
    assert (world.early_id, "idle_money") in _open()
