"""Deleting a record others still name: refused with a 409 naming them, or a documented cascade.

Foreign keys are enforced on both databases, so without this rule a delete either failed in the
database (a 500) or cascaded silently into other people's records. The decision, per relation:

Refused while any exists: money records, and records of another party.
- an enterprise: fund placements into it, its guarantee cases and risk-pool loans, listing
  events (the zone's records its rewards are paid on), its policy applications, deals on its
  projects (an institution's pipeline and data room);
- a project: deals on it;
- an institution: sub-funds it guides, guarantee cases it is bank or agency of, risk-pool loans
  it lent, its deals;
- a mandate: deals on its matches;
- a zone: its enterprises, sub-funds, risk pools and policies (with their applications);
- an industry: enterprises and projects in it, its sub-industries.

Cascaded, being the record's own parts (ON DELETE CASCADE and the models' cascades): an
enterprise's profile (financials, qualifications, industries, governance records, readiness facts
and checks), its projects with their matches and alert deliveries, access grants to it, and
duplicate flags about it; a project's matches and deliveries; an institution's mandates with
their matches, its pipeline stages and access grants; a mandate's matches; a zone's readiness
batches. Logs keep their rows with the reference emptied (access and download logs), and user
accounts stay, without the deleted enterprise, institution or zone (ON DELETE SET NULL).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, FromClause, func, or_, select
from sqlalchemy.orm import QueryableAttribute, join

from torchfin.extensions import db
from torchfin.models import (
    Deal,
    Enterprise,
    GuaranteeCase,
    Industry,
    ListingEvent,
    Match,
    Placement,
    Policy,
    PolicyApplication,
    PoolLoan,
    Project,
    RiskPool,
    SubFund,
    enterprise_industry,
    project_industry,
)
from torchfin.services.errors import Conflict


@dataclass(frozen=True)
class Dependants:
    """Records of one kind that may name a record: their noun, the columns that hold the
    record's id (any of them names it), and the rows to count when the columns are not all in
    one table of their own (a join)."""

    noun: str
    columns: tuple[ColumnElement | QueryableAttribute, ...]
    source: FromClause | None = None
    plural: str = ""

    def count(self, record_id: int) -> int:
        """How many of them name record `record_id`."""
        source = self.source if self.source is not None else self.columns[0].expression.table
        named = or_(*(column == record_id for column in self.columns))
        return db.session.scalar(select(func.count()).select_from(source).where(named))

    def describe(self, count: int) -> str:
        """ "1 placement", "2 placements"."""
        return f"{count} {self.noun if count == 1 else self.plural or self.noun + 's'}"


_DEALS_ON_MATCHES = join(Deal, Match, Deal.match_id == Match.id)
_DEALS_ON_PROJECTS = _DEALS_ON_MATCHES.join(Project, Match.project_id == Project.id)

ENTERPRISE = (
    Dependants("placement", (Placement.enterprise_id,)),
    Dependants("guarantee case", (GuaranteeCase.enterprise_id,)),
    Dependants("risk-pool loan", (PoolLoan.enterprise_id,)),
    Dependants("listing event", (ListingEvent.enterprise_id,)),
    Dependants("policy application", (PolicyApplication.enterprise_id,)),
    Dependants("deal", (Project.enterprise_id,), _DEALS_ON_PROJECTS),
)
PROJECT = (Dependants("deal", (Project.id,), _DEALS_ON_PROJECTS),)
INSTITUTION = (
    Dependants("sub-fund", (SubFund.guidance_fund_id,)),
    Dependants("guarantee case", (GuaranteeCase.bank_id, GuaranteeCase.agency_id)),
    Dependants("risk-pool loan", (PoolLoan.bank_id,)),
    Dependants("deal", (Deal.institution_id,)),
)
MANDATE = (Dependants("deal", (Match.mandate_id,), _DEALS_ON_MATCHES),)
ZONE = (
    Dependants("enterprise", (Enterprise.zone_id,)),
    Dependants("sub-fund", (SubFund.zone_id,)),
    Dependants("risk pool", (RiskPool.zone_id,)),
    Dependants("policy", (Policy.zone_id,)),
)
INDUSTRY = (
    Dependants("enterprise", (enterprise_industry.c.industry_id,)),
    Dependants("project", (project_industry.c.industry_id,)),
    Dependants("sub-industry", (Industry.parent_id,), plural="sub-industries"),
)


def refuse_if_named(label: str, record_id: int, dependants: Sequence[Dependants]) -> None:
    """Raise Conflict naming each kind in `dependants` that still names the record, e.g.
    "enterprise 12 is named by 2 placements, 1 guarantee case"; the caller deletes nothing."""
    counts = ((kind, kind.count(record_id)) for kind in dependants)
    named = [kind.describe(count) for kind, count in counts if count]
    if named:
        raise Conflict(
            f"{label} {record_id} is named by {', '.join(named)}; "
            "it cannot be deleted while they exist"
        )
