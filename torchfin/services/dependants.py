"""Deleting a record others still name: refused with a 409 naming them, or a documented cascade.

Foreign keys are enforced on both databases, so without this rule a delete either failed in the
database (a 500) or cascaded silently into other people's records. The decision, per relation:

Refused while any exists: money records, and records of another party.
- an enterprise: fund placements into it, its guarantee cases and risk-pool loans, listing
  events (the zone's records its rewards are paid on), deals on its projects (an institution's
  pipeline and data room);
- a project: deals on it;
- an institution: sub-funds it guides, guarantee cases it is bank or agency of, risk-pool loans
  it lent, its deals;
- a mandate: deals on its matches;
- a zone: its enterprises, sub-funds, risk pools and incentive rewards;
- an industry: enterprises in it, its sub-industries.

Cascaded, being the record's own parts (ON DELETE CASCADE and the models' cascades): an
enterprise's profile (financials, qualifications, industries, governance records, readiness facts
and checks), its projects with their matches and alert deliveries, access grants to it, and
duplicate flags about it; a project's matches and deliveries; an institution's mandates with
their matches, its pipeline stages and access grants; a mandate's matches; a zone's readiness
batches. Logs keep their rows with the reference emptied (access and download logs), and user
accounts stay, without the deleted enterprise, institution or zone (ON DELETE SET NULL).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, FromClause, func, or_, select
from sqlalchemy.orm import join

from torchfin.extensions import db
from torchfin.models import (
    Deal,
    Enterprise,
    GuaranteeCase,
    IncentiveReward,
    Industry,
    ListingEvent,
    Match,
    Placement,
    PoolLoan,
    Project,
    RiskPool,
    SubFund,
    enterprise_industry,
)
from torchfin.services.errors import Conflict


@dataclass(frozen=True)
class Dependants:
    """Records of one kind that may name a record: their noun (singular, plural), the rows they
    are read from, and the condition that they name record `id`."""

    one: str
    many: str
    source: type | FromClause
    names: Callable[[int], ColumnElement[bool]]

    def count(self, record_id: int) -> int:
        """How many of them name record `record_id`."""
        query = select(func.count()).select_from(self.source).where(self.names(record_id))
        return db.session.scalar(query)


_DEALS_ON_PROJECTS = join(Deal, Match, Deal.match_id == Match.id).join(
    Project, Match.project_id == Project.id
)

ENTERPRISE = (
    Dependants("placement", "placements", Placement, lambda i: Placement.enterprise_id == i),
    Dependants(
        "guarantee case",
        "guarantee cases",
        GuaranteeCase,
        lambda i: GuaranteeCase.enterprise_id == i,
    ),
    Dependants(
        "risk-pool loan", "risk-pool loans", PoolLoan, lambda i: PoolLoan.enterprise_id == i
    ),
    Dependants(
        "listing event", "listing events", ListingEvent, lambda i: ListingEvent.enterprise_id == i
    ),
    Dependants("deal", "deals", _DEALS_ON_PROJECTS, lambda i: Project.enterprise_id == i),
)
PROJECT = (Dependants("deal", "deals", _DEALS_ON_PROJECTS, lambda i: Project.id == i),)
INSTITUTION = (
    Dependants("sub-fund", "sub-funds", SubFund, lambda i: SubFund.guidance_fund_id == i),
    Dependants(
        "guarantee case",
        "guarantee cases",
        GuaranteeCase,
        lambda i: or_(GuaranteeCase.bank_id == i, GuaranteeCase.agency_id == i),
    ),
    Dependants("risk-pool loan", "risk-pool loans", PoolLoan, lambda i: PoolLoan.bank_id == i),
    Dependants("deal", "deals", Deal, lambda i: Deal.institution_id == i),
)
MANDATE = (
    Dependants(
        "deal",
        "deals",
        join(Deal, Match, Deal.match_id == Match.id),
        lambda i: Match.mandate_id == i,
    ),
)
ZONE = (
    Dependants("enterprise", "enterprises", Enterprise, lambda i: Enterprise.zone_id == i),
    Dependants("sub-fund", "sub-funds", SubFund, lambda i: SubFund.zone_id == i),
    Dependants("risk pool", "risk pools", RiskPool, lambda i: RiskPool.zone_id == i),
    Dependants(
        "incentive reward",
        "incentive rewards",
        IncentiveReward,
        lambda i: IncentiveReward.zone_id == i,
    ),
)
INDUSTRY = (
    Dependants(
        "enterprise",
        "enterprises",
        enterprise_industry,
        lambda i: enterprise_industry.c.industry_id == i,
    ),
    Dependants("sub-industry", "sub-industries", Industry, lambda i: Industry.parent_id == i),
)


def refuse_if_named(label: str, record_id: int, dependants: Sequence[Dependants]) -> None:
    """Raise Conflict naming each kind in `dependants` that still names the record, e.g.
    "enterprise 12 is named by 2 placements, 1 guarantee case"; the caller deletes nothing."""
    named = []
    for kind in dependants:
        count = kind.count(record_id)
        if count:
            named.append(f"{count} {kind.one if count == 1 else kind.many}")
    if named:
        raise Conflict(
            f"{label} {record_id} is named by {', '.join(named)}; "
            "it cannot be deleted while they exist"
        )
