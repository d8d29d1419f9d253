"""Read-only figures for the pages: platform totals, zone and industry tables, a record's projects.

Nothing here writes; each function runs a few aggregate queries and returns plain dataclasses, so
the pages never hold ORM rows they could lazily load from or change.
"""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from torchfin.extensions import db
from torchfin.models import Enterprise, Industry, Institution, Mandate, Project, User, Zone
from torchfin.models.enterprise import enterprise_industry
from torchfin.models.enums import ProjectStatus
from torchfin.models.project import project_industry
from torchfin.services.dashboards.industry_links import top_industry_links
from torchfin.services.registry.projects import visible_projects

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class PlatformTotals:
    """Headline counts; `amount_sought` sums the published projects, in yuan."""

    enterprises: int
    published_projects: int
    institutions: int
    mandates: int
    amount_sought: Decimal


@dataclass(frozen=True)
class ZoneRow:
    """A zone with how many enterprises it holds and how many projects they have published."""

    code: str
    name_zh: str
    name_en: str
    province: str
    enterprises: int
    published_projects: int


@dataclass(frozen=True)
class IndustryRow:
    """A top-level industry with the enterprises working in it or in one of its sub-fields, and
    the published projects filed under it (by the project's own industries)."""

    code: str
    name_zh: str
    name_en: str
    enterprises: int
    published_projects: int


def _count(statement) -> int:
    return db.session.scalar(statement) or 0


def platform_totals() -> PlatformTotals:
    """Counts of enterprises, published projects, institutions and active mandates, and the sum
    sought by published projects (projects in talks, funded or closed no longer seek money)."""
    published = Project.status == ProjectStatus.PUBLISHED
    amount = db.session.scalar(
        select(func.coalesce(func.sum(Project.amount_sought), 0)).where(published)
    )
    return PlatformTotals(
        enterprises=_count(select(func.count()).select_from(Enterprise)),
        published_projects=_count(select(func.count()).select_from(Project).where(published)),
        institutions=_count(select(func.count()).select_from(Institution)),
        mandates=_count(select(func.count()).select_from(Mandate).where(Mandate.active)),
        # SQLite sums NUMERIC as floating point; round back to fen so the figure is exact in yuan.
        amount_sought=Decimal(str(amount or 0)).quantize(_CENT),
    )


def top_zones(limit: int = 10) -> list[ZoneRow]:
    """The zones with the most enterprises (ties by name), with their published projects."""
    enterprises = (
        select(Enterprise.zone_id, func.count().label("n")).group_by(Enterprise.zone_id).subquery()
    )
    projects = (
        select(Enterprise.zone_id, func.count(Project.id).label("n"))
        .join(Project, Project.enterprise_id == Enterprise.id)
        .where(Project.status == ProjectStatus.PUBLISHED)
        .group_by(Enterprise.zone_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Zone.code,
            Zone.name_zh,
            Zone.name_en,
            Zone.province,
            enterprises.c.n,
            func.coalesce(projects.c.n, 0),
        )
        .join(enterprises, enterprises.c.zone_id == Zone.id)
        .outerjoin(projects, projects.c.zone_id == Zone.id)
        .order_by(enterprises.c.n.desc(), Zone.name_zh)
        .limit(limit)
    )
    return [ZoneRow(*row) for row in rows]


def industry_breakdown() -> list[IndustryRow]:
    """Every top-level industry with its enterprises and published projects, largest first.

    A project counts under its own industries, not its enterprise's (a software company's
    energy-storage project counts under new energy). A record listed under several sub-fields
    of one industry counts once for that industry.
    """
    enterprise_links = top_industry_links(enterprise_industry, "enterprise_id")
    project_links = top_industry_links(project_industry, "project_id")
    enterprises = (
        select(enterprise_links.c.top_id, func.count().label("n"))
        .group_by(enterprise_links.c.top_id)
        .subquery()
    )
    projects = (
        select(project_links.c.top_id, func.count(Project.id).label("n"))
        .join(Project, Project.id == project_links.c.record_id)
        .where(Project.status == ProjectStatus.PUBLISHED)
        .group_by(project_links.c.top_id)
        .subquery()
    )
    n_enterprises = func.coalesce(enterprises.c.n, 0)
    rows = db.session.execute(
        select(
            Industry.code,
            Industry.name_zh,
            Industry.name_en,
            n_enterprises,
            func.coalesce(projects.c.n, 0),
        )
        .outerjoin(enterprises, enterprises.c.top_id == Industry.id)
        .outerjoin(projects, projects.c.top_id == Industry.id)
        .where(Industry.parent_id.is_(None))
        .order_by(n_enterprises.desc(), Industry.id)
    )
    return [IndustryRow(*row) for row in rows]


def enterprise_projects(user: User, enterprise_id: int) -> list[Project]:
    """The projects of one enterprise that `user` may see, newest first (drafts only for the
    enterprise itself and admins, as `projects.visible_projects` decides)."""
    return list(
        db.session.scalars(
            visible_projects(user)
            .where(Project.enterprise_id == enterprise_id)
            .order_by(Project.id.desc())
        )
    )
