"""Guidance funds: registering sub-funds and recording their calls, placements and exits.

Who: the guidance fund's own managers (role fund_manager acting for it) and platform admins.
Cross-record rules checked here: the guidance fund is an institution of that kind; calls never
exceed commitments; placements never exceed what was called by their date; exits follow their
placement.
"""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from torchfin.extensions import db
from torchfin.models import (
    CapitalCall,
    Institution,
    LimitedPartner,
    Placement,
    PlacementExit,
    SubFund,
    User,
    Zone,
)
from torchfin.models.enums import InstitutionKind, Role
from torchfin.services import enterprise_events
from torchfin.services.errors import Forbidden, Invalid, NotFound
from torchfin.services.funds.figures import (
    GuidanceFundFigures,
    SubFundFigures,
    guidance_fund_figures,
    sub_fund_figures,
)
from torchfin.services.permissions import is_admin
from torchfin.services.records import get_or_404
from torchfin.services.registry.enterprises import referenced_enterprise

SUB_FUND_FIELDS = (
    "name",
    "manager",
    "vintage",
    "guidance_commitment",
    "investment_period_end",
    "max_guidance_share",
    "reinvestment_multiple",
    "min_early_stage_share",
    "idle_alert_months",
)


def manages(user: User, guidance_fund_id: int) -> bool:
    """True for admins and the managers of this guidance fund."""
    return is_admin(user) or (
        user.role == Role.FUND_MANAGER and user.institution_id == guidance_fund_id
    )


def guidance_fund(user: User, guidance_fund_id: int) -> Institution:
    """A guidance fund `user` manages."""
    fund = get_or_404(Institution, guidance_fund_id, "guidance fund")
    if fund.kind != InstitutionKind.GUIDANCE_FUND:
        raise Invalid("not a guidance fund", {"guidance_fund_id": ["Not a guidance fund."]})
    if not manages(user, fund.id):
        raise Forbidden(f"you do not manage guidance fund {fund.id}")
    return fund


def managed_sub_fund(user: User, sub_fund_id: int, lock: bool = False) -> SubFund:
    """A sub-fund of a guidance fund `user` manages (`lock`: see `get_or_404`)."""
    fund = get_or_404(SubFund, sub_fund_id, "sub-fund", lock)
    if not manages(user, fund.guidance_fund_id):
        raise Forbidden(f"you do not manage sub-fund {sub_fund_id}")
    return fund


def sub_funds_of(user: User, guidance_fund_id: int) -> list[SubFund]:
    """The sub-funds of a guidance fund, oldest vintage first."""
    guidance_fund(user, guidance_fund_id)
    return list(
        db.session.scalars(
            select(SubFund)
            .where(SubFund.guidance_fund_id == guidance_fund_id)
            .order_by(SubFund.vintage, SubFund.id)
        )
    )


def create_sub_fund(user: User, data: dict) -> SubFund:
    """Register a sub-fund with its other LPs for the caller's guidance fund."""
    fund_id = data.get("guidance_fund_id") or user.institution_id
    if fund_id is None:
        raise Invalid("no guidance fund", {"guidance_fund_id": ["Required."]})
    guidance_fund(user, fund_id)
    zone = db.session.scalar(select(Zone).where(Zone.code == data["zone"]))
    if zone is None:
        raise Invalid("unknown zone", {"zone": [f"Zone {data['zone']} does not exist."]})
    if db.session.scalar(select(SubFund.id).where(SubFund.name == data["name"])):
        raise Invalid("duplicate", {"name": ["A sub-fund of this name exists."]})
    fund = SubFund(guidance_fund_id=fund_id, zone=zone)
    for name in SUB_FUND_FIELDS:
        setattr(fund, name, data[name])
    fund.limited_partners = [LimitedPartner(**lp) for lp in data["limited_partners"]]
    db.session.add(fund)
    db.session.commit()
    return fund


def add_capital_call(user: User, sub_fund_id: int, data: dict) -> CapitalCall:
    """Record a capital call; all calls together stay within the commitments."""
    fund = managed_sub_fund(user, sub_fund_id, lock=True)
    called = sum((c.amount for c in fund.capital_calls), Decimal(0))
    if called + data["amount"] > fund.size:
        raise Invalid(
            "over-called",
            {"amount": [f"Calls would exceed the commitments of {fund.size:.2f}."]},
        )
    call = CapitalCall(sub_fund=fund, **data)
    db.session.add(call)
    db.session.commit()
    return call


def _called_by(fund: SubFund, day: date) -> Decimal:
    return sum((c.amount for c in fund.capital_calls if c.called_on <= day), Decimal(0))


def add_placement(user: User, sub_fund_id: int, data: dict) -> Placement:
    """Record a placement into an enterprise, never beyond the money called by its date."""
    fund = managed_sub_fund(user, sub_fund_id, lock=True)
    referenced_enterprise(data)
    day = data["placed_on"]
    placed = sum((p.amount for p in fund.placements if p.placed_on <= day), Decimal(0))
    available = _called_by(fund, day) - placed
    if data["amount"] > available:
        raise Invalid(
            "not called",
            {"amount": [f"Only {available:.2f} of called money is uninvested on {day}."]},
        )
    placement = Placement(sub_fund=fund, **data)
    db.session.add(placement)
    db.session.flush()
    enterprise_events.financing_recorded(placement)
    db.session.commit()
    enterprise_events.announce_events()
    return placement


def add_exit(
    user: User, placement_id: int, data: dict, sub_fund_id: int | None = None
) -> PlacementExit:
    """Record an exit from a placement, on or after the placement date.

    `sub_fund_id`, when the caller's address names one, must be the placement's (else 404).
    """
    placement = get_or_404(Placement, placement_id, "placement")
    if sub_fund_id is not None and placement.sub_fund_id != sub_fund_id:
        raise NotFound(f"placement {placement_id} does not exist")
    managed_sub_fund(user, placement.sub_fund_id)
    if data["exited_on"] < placement.placed_on:
        raise Invalid("too early", {"exited_on": ["Cannot be before the placement."]})
    exit_ = PlacementExit(placement=placement, **data)
    db.session.add(exit_)
    db.session.commit()
    return exit_


def figures_of_sub_fund(user: User, sub_fund_id: int, as_of: date) -> SubFundFigures:
    """The figures of one sub-fund as of a date."""
    return sub_fund_figures(managed_sub_fund(user, sub_fund_id), as_of)


def figures_of_guidance_fund(
    user: User, guidance_fund_id: int, as_of: date
) -> tuple[GuidanceFundFigures, list[SubFundFigures]]:
    """A guidance fund's totals and each sub-fund's figures as of a date."""
    rows = [sub_fund_figures(f, as_of) for f in sub_funds_of(user, guidance_fund_id)]
    return guidance_fund_figures(rows, as_of), rows
