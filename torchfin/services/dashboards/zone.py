"""The zone dashboard's numbers: industry map, financing gap, pipeline, readiness, exposure,
and the figures of the zone's tech-finance policies (policy_figures.py).

Read-only aggregate queries returning `Table`s: machine column keys and rows of plain values.
The API serves these tables as they are; the page draws each as a chart and prints the same
rows beneath it, with a CSV download of the same rows, so chart, table, CSV and API never differ.

Definitions (projects of the zone's enterprises, by the project's own industries; an
enterprise or project in several sub-fields of one industry counts once for that top-level
industry):
- demand: amount sought by projects that were published (published, in talks, funded, closed);
- matched: amount sought by projects an investor took up, i.e. in talks or funded. The matching
  engine's suggestions are not counted until it records take-up; this is what exists today;
- funded: amount sought by funded projects; gap: demand - funded;
- pipeline funnel: projects that reached each stage (published > in talks > funded);
- exposure: principal of guaranteed loans outstanding (disbursed, monitored, overdue) and of
  risk-pool loans still active or defaulted.
"""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from torchfin.extensions import db
from torchfin.models import (
    Enterprise,
    GuaranteeCase,
    Industry,
    PoolLoan,
    Project,
    User,
    Zone,
)
from torchfin.models.enterprise import enterprise_industry
from torchfin.models.enums import GuaranteeState, PoolLoanState, ProjectStatus
from torchfin.models.project import project_industry
from torchfin.services.dashboards.industry_links import top_industry_links
from torchfin.services.dashboards.policy_figures import policy_names, policy_tables
from torchfin.services.dashboards.tables import Table, yuan
from torchfin.services.readiness.batches import latest_batch, outcome_counts, zone_by_code
from torchfin.services.zone_access import require_zone_admin

HEATMAP_ZONES = 12
PUBLISHED = (
    ProjectStatus.PUBLISHED,
    ProjectStatus.IN_TALKS,
    ProjectStatus.FUNDED,
    ProjectStatus.CLOSED,
)
TAKEN_UP = (ProjectStatus.IN_TALKS, ProjectStatus.FUNDED)
OUTSTANDING_GUARANTEES = (
    GuaranteeState.DISBURSED,
    GuaranteeState.MONITORING,
    GuaranteeState.OVERDUE,
)


@dataclass(frozen=True)
class ZoneDashboard:
    """Every table of one zone's dashboard, with the names the codes in them stand for."""

    zone: Zone
    tables: list[Table]
    zone_names: dict[str, tuple[str, str]]
    industry_names: dict[str, tuple[str, str]]
    policy_names: dict[str, tuple[str, str]]
    readiness_rule_set: str | None
    readiness_batch_id: int | None

    def table(self, key: str) -> Table:
        """The table called `key`."""
        return next(t for t in self.tables if t.key == key)


def _top_industries() -> list[Industry]:
    return list(
        db.session.scalars(
            select(Industry).where(Industry.parent_id.is_(None)).order_by(Industry.id)
        )
    )


def heatmap_zones(zone: Zone) -> list[Zone]:
    """The zones with most enterprises (the dashboard's own zone always among them)."""
    counts = (
        select(Enterprise.zone_id, func.count().label("n")).group_by(Enterprise.zone_id).subquery()
    )
    top = list(
        db.session.scalars(
            select(Zone)
            .join(counts, counts.c.zone_id == Zone.id)
            .order_by(counts.c.n.desc(), Zone.code)
            .limit(HEATMAP_ZONES)
        )
    )
    return top if zone in top else [zone, *top[: HEATMAP_ZONES - 1]]


def industry_heatmap(zones: list[Zone], industries: list[Industry]) -> Table:
    """Enterprises per zone and top-level industry, every cell listed (zeros too)."""
    links = top_industry_links(enterprise_industry, "enterprise_id")
    counts = {
        (zone_id, top_id): n
        for zone_id, top_id, n in db.session.execute(
            select(Enterprise.zone_id, links.c.top_id, func.count())
            .join(links, links.c.record_id == Enterprise.id)
            .where(Enterprise.zone_id.in_([z.id for z in zones]))
            .group_by(Enterprise.zone_id, links.c.top_id)
        )
    }
    rows = [
        (zone.code, industry.code, counts.get((zone.id, industry.id), 0))
        for zone in zones
        for industry in industries
    ]
    return Table("industry_map", ("zone", "industry", "enterprises"), rows)


def _amount_by_industry(zone: Zone, statuses) -> dict[int, Decimal]:
    links = top_industry_links(project_industry, "project_id")
    rows = db.session.execute(
        select(links.c.top_id, func.sum(Project.amount_sought))
        .join(Project, Project.id == links.c.record_id)
        .join(Enterprise, Enterprise.id == Project.enterprise_id)
        .where(Enterprise.zone_id == zone.id, Project.status.in_(statuses))
        .group_by(links.c.top_id)
    )
    return {top_id: yuan(total) for top_id, total in rows}


def financing_gap(zone: Zone, industries: list[Industry]) -> Table:
    """Demand, matched and funded amounts per top-level industry, and the gap."""
    demand = _amount_by_industry(zone, PUBLISHED)
    matched = _amount_by_industry(zone, TAKEN_UP)
    funded = _amount_by_industry(zone, (ProjectStatus.FUNDED,))
    zero = yuan(0)
    rows = [
        (
            industry.code,
            demand.get(industry.id, zero),
            matched.get(industry.id, zero),
            funded.get(industry.id, zero),
            demand.get(industry.id, zero) - funded.get(industry.id, zero),
        )
        for industry in industries
    ]
    return Table("financing_gap", ("industry", "demand", "matched", "funded", "gap"), rows)


def pipeline_funnel(zone: Zone) -> Table:
    """Projects of the zone that reached each stage, with the amount they sought."""
    stages = (("published", PUBLISHED), ("in_talks", TAKEN_UP), ("funded", (ProjectStatus.FUNDED,)))
    rows = []
    for stage, statuses in stages:
        count, amount = db.session.execute(
            select(func.count(Project.id), func.sum(Project.amount_sought))
            .join(Enterprise, Enterprise.id == Project.enterprise_id)
            .where(Enterprise.zone_id == zone.id, Project.status.in_(statuses))
        ).one()
        rows.append((stage, count, yuan(amount)))
    return Table("pipeline", ("stage", "projects", "amount"), rows)


def readiness_table(zone: Zone) -> tuple[Table, str | None, int | None]:
    """Enterprises ready, incomplete and not ready in the zone's latest finished batch."""
    batch = latest_batch(zone)
    counts = outcome_counts(batch)
    table = Table("readiness", ("outcome", "enterprises"), list(counts.items()))
    return table, batch.rule_set if batch else None, batch.id if batch else None


def exposure(zone: Zone) -> Table:
    """Guaranteed loans outstanding and risk-pool loans at risk, for the zone's enterprises."""
    in_zone = select(Enterprise.id).where(Enterprise.zone_id == zone.id)
    rows = []
    for kind, model, statuses in (
        ("guarantees_outstanding", GuaranteeCase, OUTSTANDING_GUARANTEES),
        ("guarantees_overdue", GuaranteeCase, (GuaranteeState.OVERDUE,)),
        ("pool_loans_active", PoolLoan, (PoolLoanState.ACTIVE,)),
        ("pool_loans_defaulted", PoolLoan, (PoolLoanState.DEFAULTED,)),
    ):
        count, amount = db.session.execute(
            select(func.count(model.id), func.sum(model.principal)).where(
                model.state.in_(statuses), model.enterprise_id.in_(in_zone)
            )
        ).one()
        rows.append((kind, count, yuan(amount)))
    return Table("exposure", ("kind", "loans", "principal"), rows)


def zone_dashboard(user: User, zone_code: str) -> ZoneDashboard:
    """All tables of a zone's dashboard, for its administrators and platform admins."""
    zone = zone_by_code(zone_code)
    require_zone_admin(user, zone)
    industries = _top_industries()
    zones = heatmap_zones(zone)
    readiness, rule_set, batch_id = readiness_table(zone)
    return ZoneDashboard(
        zone=zone,
        tables=[
            industry_heatmap(zones, industries),
            financing_gap(zone, industries),
            pipeline_funnel(zone),
            readiness,
            exposure(zone),
            *policy_tables(zone),
        ],
        zone_names={z.code: (z.name_zh, z.name_en) for z in zones},
        industry_names={i.code: (i.name_zh, i.name_en) for i in industries},
        policy_names=policy_names(zone),
        readiness_rule_set=rule_set,
        readiness_batch_id=batch_id,
    )
