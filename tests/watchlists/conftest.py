"""A world for watchlist tests: the deal-flow enterprise, its zone's administrator, a guidance
fund's sub-fund able to invest in it, and followers of the roles that follow."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from tests.factories.accounts import make_user, make_zone_admin
from tests.factories.deal_flow import DealFlow
from tests.factories.registry import make_institution
from torchfin.extensions import db
from torchfin.models import User
from torchfin.models.enums import InstitutionKind, Role
from torchfin.services.funds import sub_funds

M = Decimal(1_000_000)


@dataclass
class Watchers:
    """Ids of the followers and actors, reloaded on each use (a worker run clears the session)."""

    flow: DealFlow
    fund_manager_id: int
    bank_id: int
    zone_admin_id: int
    sub_fund_id: int

    def user(self, user_id: int) -> User:
        return db.session.get(User, user_id)

    @property
    def fund_manager(self) -> User:
        return self.user(self.fund_manager_id)

    @property
    def zone_admin(self) -> User:
        return self.user(self.zone_admin_id)


@pytest.fixture
def watchers(deal_flow) -> Watchers:
    """The deal-flow world plus a fund manager with a sub-fund whose money is called, a bank
    user and the zone's administrator."""
    guidance = make_institution(InstitutionKind.GUIDANCE_FUND)
    manager = make_user(Role.FUND_MANAGER, institution=guidance)
    fund = sub_funds.create_sub_fund(
        manager,
        {
            "name": "中关村早期一号",
            "manager": "某创业投资管理有限公司",
            "vintage": 2021,
            "zone": deal_flow.enterprise.zone.code,
            "guidance_commitment": 20 * M,
            "limited_partners": [{"name": "甲", "commitment": 80 * M}],
            "investment_period_end": date(2030, 12, 31),
            "max_guidance_share": Decimal("0.2500"),
            "reinvestment_multiple": Decimal("1.50"),
            "min_early_stage_share": Decimal("0.3000"),
            "idle_alert_months": 12,
        },
    )
    sub_funds.add_capital_call(manager, fund.id, {"called_on": date(2021, 3, 1), "amount": 30 * M})
    return Watchers(
        flow=deal_flow,
        fund_manager_id=manager.id,
        bank_id=make_user(Role.BANK, institution=make_institution(InstitutionKind.BANK)).id,
        zone_admin_id=make_zone_admin(deal_flow.enterprise.zone).id,
        sub_fund_id=fund.id,
    )
