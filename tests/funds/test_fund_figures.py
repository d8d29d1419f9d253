"""Sub-fund and guidance-fund figures on the hand-checked world of tests/funds/world.py."""

from datetime import date
from decimal import Decimal

from sqlalchemy.orm.attributes import set_committed_value

from tests.factories.funds import (
    AS_OF,
    REINVESTMENT_AS_OF,
    M,
    build_reinvestment_fund,
    build_world,
    sub_fund,
)
from torchfin.models.enums import FundRuleStatus
from torchfin.services.funds.figures import guidance_fund_figures, months_between, sub_fund_figures


def test_early_fund_figures_by_hand():
    world = build_world()
    f = sub_fund_figures(sub_fund(world.early_id), AS_OF)
    assert f.size == 100 * M
    assert f.guidance_share == Decimal("0.2000")
    assert f.leverage == Decimal("5.0000")
    assert f.called == 50 * M
    assert f.deployed == 30 * M  # the 2023-08-01 placement is after the date
    assert f.deployed_share == Decimal("0.3000")
    assert f.idle == 20 * M
    assert f.idle_since == date(2022, 3, 1)  # the first call was spent exactly
    assert f.idle_months == 15
    assert f.reinvested == 20 * M
    assert f.reinvestment_achieved == Decimal("1.0000")
    assert f.reinvestment_required == 30 * M  # 1.5x of 20m
    assert f.reinvestment_shortfall == 10 * M
    assert f.reinvestment_share_achieved == Decimal("0.6666")  # 2/3, rounded down
    assert f.early_stage == 22 * M  # A round 12m + tech SME 10m
    assert f.early_stage_share == Decimal("0.7333")
    assert f.proceeds == 15 * M  # the 2023-09-01 exit is after the date
    assert {r.code: r.status for r in f.rules} == {
        "guidance_stake": FundRuleStatus.MET,
        "not_largest_lp": FundRuleStatus.MET,
        "reinvestment": FundRuleStatus.PENDING,
        "early_stage_share": FundRuleStatus.MET,
    }
    reinvestment = next(r for r in f.rules if r.code == "reinvestment")
    assert "20,000,000.00" in reinvestment.evidence.en and "1.50x" in reinvestment.evidence.en


def test_growth_fund_breaches_every_rule():
    world = build_world()
    f = sub_fund_figures(sub_fund(world.growth_id), AS_OF)
    assert (f.size, f.guidance_share, f.leverage) == (60 * M, Decimal("0.5000"), Decimal("2.0000"))
    assert (f.called, f.deployed, f.idle, f.idle_since) == (0, 0, 0, None)
    assert f.early_stage_share is None
    assert (f.reinvestment_required, f.reinvestment_shortfall) == (30 * M, 30 * M)
    assert f.reinvestment_share_achieved == Decimal("0.0000")
    assert [r.code for r in f.breached] == [
        "guidance_stake",
        "not_largest_lp",
        "reinvestment",
        "early_stage_share",
    ]


def test_guidance_fund_totals_recompute_ratios_on_the_totals():
    world = build_world()
    rows = [sub_fund_figures(sub_fund(i), AS_OF) for i in (world.early_id, world.growth_id)]
    total = guidance_fund_figures(rows, AS_OF)
    assert total.size == 160 * M and total.guidance_commitment == 50 * M
    assert total.leverage == Decimal("3.2000")
    assert total.deployed_share == Decimal("0.1875")
    assert (total.idle, total.reinvested, total.proceeds) == (20 * M, 20 * M, 15 * M)
    assert total.breached_rules == 4


def test_whole_months_count_only_completed_months():
    assert months_between(date(2024, 1, 31), date(2024, 2, 29)) == 0
    assert months_between(date(2024, 1, 31), date(2024, 3, 31)) == 2
    assert months_between(date(2022, 3, 1), date(2023, 3, 1)) == 12
    assert months_between(date(2022, 3, 2), date(2023, 3, 1)) == 11


def test_a_placement_whose_enterprise_is_gone_counts_as_money_only():
    """As the ORM loads a placement whose enterprise was deleted before foreign keys held."""
    world = build_world()
    fund = sub_fund(world.early_id)
    gone = next(p for p in fund.placements if p.id == world.placement_ids[0])  # 12m, A, in zone
    set_committed_value(gone, "enterprise", None)
    f = sub_fund_figures(fund, AS_OF)
    assert f.deployed == 30 * M
    assert f.reinvested == 8 * M  # no longer known to be in the zone
    assert f.early_stage == 22 * M  # an A round whoever received it


def _reinvestment(placed: Decimal, multiple: str = "1.50"):
    """The reinvestment figures and rule of issue 20's sub-fund with `placed` in the zone."""
    _, fund_id = build_reinvestment_fund()
    fund = sub_fund(fund_id)
    (placement,) = fund.placements
    placement.amount = placed
    fund.reinvestment_multiple = Decimal(multiple)
    f = sub_fund_figures(fund, REINVESTMENT_AS_OF)
    return f, next(r.status for r in f.rules if r.code == "reinvestment")


def test_reinvestment_required_missing_and_share_achieved():
    f, status = _reinvestment(60 * M)
    assert f.reinvestment_achieved == Decimal("1.2000")
    assert f.reinvestment_required == Decimal("75000000.00")
    assert f.reinvestment_shortfall == Decimal("15000000.00")
    assert f.reinvestment_share_achieved == Decimal("0.8000")
    assert status == FundRuleStatus.PENDING


def test_a_fen_short_of_the_reinvestment_is_not_met_however_the_multiple_rounds():
    # 74,999,999.99 / 50,000,000 rounds to the required 1.5000, but a fen is still missing.
    f, status = _reinvestment(Decimal("74999999.99"))
    assert f.reinvestment_achieved == Decimal("1.5000")
    assert f.reinvestment_shortfall == Decimal("0.01")
    assert f.reinvestment_share_achieved == Decimal("0.9999")
    assert status == FundRuleStatus.PENDING


def test_reinvestment_beyond_the_requirement_misses_nothing():
    f, status = _reinvestment(90 * M)
    assert f.reinvestment_shortfall == Decimal("0.00")
    assert f.reinvestment_share_achieved == Decimal("1.2000")
    assert status == FundRuleStatus.MET


def test_no_reinvestment_required_has_no_share():
    nothing_required, status = _reinvestment(M, multiple="0")
    assert nothing_required.reinvestment_required == Decimal("0.00")
    assert nothing_required.reinvestment_shortfall == Decimal("0.00")
    assert nothing_required.reinvestment_share_achieved is None
    assert status == FundRuleStatus.MET
