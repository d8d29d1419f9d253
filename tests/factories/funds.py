"""A hand-checked guidance-fund world: two sub-funds of one guidance fund, built via the services.

Sub-fund 中关村早期一号 (zone zhongguancun): guidance 20,000,000 of size 100,000,000 (LPs 40m,
30m, 10m); calls 30m on 2021-03-01 and 20m on 2022-03-01; placements 12m (A round, in zone) on
2021-06-01, 10m (B round, tech SME, elsewhere) on 2021-09-01, 8m (B round, in zone) on
2022-05-01, and 5m after the reference date; an exit of the 10m placement for 15m on 2023-01-15
and one of the 12m placement for 5m after the reference date.

Sub-fund 武汉成长二号 (zone wuhan): guidance 30,000,000 of size 60,000,000 (LPs 20m, 10m), no calls,
investment period ended 2022-12-31: it breaches all four rules.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tests.factories.accounts import make_user
from tests.factories.registry import make_enterprise, make_industries, make_institution, make_zone
from torchfin.extensions import db
from torchfin.models import EnterpriseQualification, SubFund, User
from torchfin.models.enums import InstitutionKind, Qualification, Role
from torchfin.services.funds import sub_funds

AS_OF = date(2023, 6, 30)
REINVESTMENT_AS_OF = date(2024, 6, 30)
M = Decimal(1_000_000)


@dataclass
class FundWorld:
    """Ids and users of the world."""

    guidance_fund_id: int
    early_id: int
    growth_id: int
    manager: User
    placement_ids: list[int]


def _rules(**overrides) -> dict:
    return {
        "investment_period_end": date(2025, 12, 31),
        "max_guidance_share": Decimal("0.2500"),
        "reinvestment_multiple": Decimal("1.50"),
        "min_early_stage_share": Decimal("0.3000"),
        "idle_alert_months": 12,
        **overrides,
    }


def build_world() -> FundWorld:
    """Build the world described in the module docstring."""
    zgc = make_zone()
    wuhan = make_zone("wuhan", "武汉东湖新技术开发区")
    industries = [make_industries()["it"]]
    in_zone_a, elsewhere, in_zone_b = (
        make_enterprise(zgc, industries),
        make_enterprise(wuhan, industries),
        make_enterprise(zgc, industries),
    )
    db.session.add(EnterpriseQualification(enterprise=elsewhere, kind=Qualification.TECH_SME))
    db.session.commit()
    guidance = make_institution(InstitutionKind.GUIDANCE_FUND)
    manager = make_user(Role.FUND_MANAGER, institution=guidance)
    early = sub_funds.create_sub_fund(
        manager,
        {
            "name": "中关村早期一号",
            "manager": "某创业投资管理有限公司",
            "vintage": 2021,
            "zone": "zhongguancun",
            "guidance_commitment": 20 * M,
            "limited_partners": [
                {"name": "甲", "commitment": 40 * M},
                {"name": "乙", "commitment": 30 * M},
                {"name": "丙", "commitment": 10 * M},
            ],
            **_rules(),
        },
    )
    sub_funds.add_capital_call(manager, early.id, {"called_on": date(2021, 3, 1), "amount": 30 * M})
    sub_funds.add_capital_call(manager, early.id, {"called_on": date(2022, 3, 1), "amount": 20 * M})
    placements = [
        sub_funds.add_placement(
            manager,
            early.id,
            {
                "enterprise_id": enterprise.id,
                "amount": amount,
                "placed_on": day,
                "round": stage,
                "instrument": "equity",
            },
        )
        for enterprise, amount, day, stage in (
            (in_zone_a, 12 * M, date(2021, 6, 1), "a"),
            (elsewhere, 10 * M, date(2021, 9, 1), "b"),
            (in_zone_b, 8 * M, date(2022, 5, 1), "b"),
            (in_zone_a, 5 * M, date(2023, 8, 1), "b"),
        )
    ]
    sub_funds.add_exit(
        manager, placements[1].id, {"exited_on": date(2023, 1, 15), "proceeds": 15 * M}
    )
    sub_funds.add_exit(
        manager, placements[0].id, {"exited_on": date(2023, 9, 1), "proceeds": 5 * M}
    )
    growth = sub_funds.create_sub_fund(
        manager,
        {
            "name": "武汉成长二号",
            "manager": "某股权投资管理有限公司",
            "vintage": 2019,
            "zone": "wuhan",
            "guidance_commitment": 30 * M,
            "limited_partners": [
                {"name": "丁", "commitment": 20 * M},
                {"name": "戊", "commitment": 10 * M},
            ],
            **_rules(investment_period_end=date(2022, 12, 31), reinvestment_multiple=Decimal("1")),
        },
    )
    return FundWorld(guidance.id, early.id, growth.id, manager, [p.id for p in placements])


def sub_fund(sub_fund_id: int) -> SubFund:
    """Reload a sub-fund."""
    return db.session.get(SubFund, sub_fund_id)


def build_reinvestment_fund() -> tuple[User, int]:
    """Issue 20's 返投 example: guidance 50,000,000 with 1.5x required (75,000,000), and
    60,000,000 placed in the zone by REINVESTMENT_AS_OF (1.2x, 80 %, 15,000,000 missing).

    Returns the sub-fund's manager and its id.
    """
    zone = make_zone()
    enterprise = make_enterprise(zone, [make_industries()["it"]])
    manager = make_user(
        Role.FUND_MANAGER, institution=make_institution(InstitutionKind.GUIDANCE_FUND)
    )
    fund = sub_funds.create_sub_fund(
        manager,
        {
            "name": "中关村返投一号",
            "manager": "某创业投资管理有限公司",
            "vintage": 2024,
            "zone": "zhongguancun",
            "guidance_commitment": 50 * M,
            "limited_partners": [{"name": "甲", "commitment": 150 * M}],
            **_rules(investment_period_end=date(2028, 12, 31)),
        },
    )
    sub_funds.add_capital_call(manager, fund.id, {"called_on": date(2024, 1, 10), "amount": 60 * M})
    sub_funds.add_placement(
        manager,
        fund.id,
        {
            "enterprise_id": enterprise.id,
            "amount": 60 * M,
            "placed_on": date(2024, 2, 1),
            "round": "a",
            "instrument": "equity",
        },
    )
    return manager, fund.id
