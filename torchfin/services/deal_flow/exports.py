"""Exporting the current search result set: every matching project (up to a cap) as rows,
with confidential financials only where the caller may read them."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import islice

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from torchfin.extensions import db
from torchfin.models import Enterprise, Project, User
from torchfin.models.enums import ReadChannel
from torchfin.services.deal_flow.discovery import all_matching_ids, load_in_order
from torchfin.services.errors import Invalid
from torchfin.services.permissions import may_read_financials
from torchfin.services.registry.access_grants import record_confidential_read

MAX_ROWS = 10_000
BATCH = 500


@dataclass(frozen=True)
class ExportRow:
    """One project of the export; `financials_visible` is False where financials are withheld."""

    project_id: int
    title: str
    enterprise: str
    zone: str
    industries: list[str]
    stage: str
    instrument: str
    amount_sought: Decimal
    deadline: date | None
    published_at: datetime | None
    financials_visible: bool
    financial_year: int | None
    revenue: Decimal | None
    net_profit: Decimal | None
    rd_spend: Decimal | None


@dataclass(frozen=True)
class Export:
    """The rows of an export and whether the cap cut the result set short."""

    rows: list[ExportRow]
    truncated: bool


def _load_batch(ids: list[int]) -> list[Project]:
    """Projects in result order, with what the columns need loaded in a few queries."""
    projects = load_in_order(Project, ids)
    # The projects' industries and their enterprises' financials: a query each, not one per row.
    db.session.scalars(
        select(Project).where(Project.id.in_(ids)).options(selectinload(Project.industries))
    ).all()
    db.session.scalars(
        select(Enterprise)
        .where(Enterprise.id.in_({p.enterprise_id for p in projects}))
        .options(selectinload(Enterprise.financials))
    ).all()
    return projects


def _row(user: User, project: Project, readable: dict[int, bool]) -> ExportRow:
    enterprise = project.enterprise
    if enterprise.id not in readable:
        readable[enterprise.id] = may_read_financials(user, enterprise)
    latest = enterprise.latest_financial if readable[enterprise.id] else None
    return ExportRow(
        project_id=project.id,
        title=project.title,
        enterprise=enterprise.name,
        zone=enterprise.zone.name_zh,
        industries=[i.name_zh for i in project.industries],
        stage=project.stage.value,
        instrument=project.instrument.value,
        amount_sought=project.amount_sought,
        deadline=project.deadline,
        published_at=project.published_at,
        financials_visible=readable[enterprise.id],
        financial_year=latest.year if latest else None,
        revenue=latest.revenue if latest else None,
        net_profit=latest.net_profit if latest else None,
        rd_spend=latest.rd_spend if latest else None,
    )


def _batches(ids: Iterator[int]) -> Iterator[list[int]]:
    while batch := list(islice(ids, BATCH)):
        yield batch


def export_projects(user: User, args: dict, limit: int = MAX_ROWS) -> Export:
    """The whole result set of a validated project search, in result order, capped at `limit`.

    Financial columns are filled only where `may_read_financials` allows it, and each such
    enterprise's read is recorded in its access log; everyone else gets the public columns.
    """
    if args["kind"] != "project":
        raise Invalid("projects only", {"kind": ["Only project searches can be exported."]})
    ids = islice(all_matching_ids(args), limit + 1)
    rows: list[ExportRow] = []
    readable: dict[int, bool] = {}  # enterprise id -> may read, asked once per enterprise
    shown: dict[int, Enterprise] = {}  # enterprises whose figures leave the server
    truncated = False
    for batch in _batches(ids):
        for project in _load_batch(batch):
            if len(rows) == limit:
                truncated = True
                break
            row = _row(user, project, readable)
            rows.append(row)
            if row.financial_year is not None:
                shown[project.enterprise_id] = project.enterprise
    # Logged once the rows are plain values: each log entry commits, which expires the records.
    for enterprise in shown.values():
        record_confidential_read(user, enterprise, ReadChannel.EXPORT)
    return Export(rows=rows, truncated=truncated)
