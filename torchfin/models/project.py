"""Financing projects (融资需求) posted by enterprises."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, String, Table, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from torchfin.models.base import Base, Indexed, Timestamped, enum_column
from torchfin.models.enterprise import Enterprise
from torchfin.models.enums import Instrument, ProjectStatus, Stage
from torchfin.models.reference import Industry

# A project's own industries: a software company's energy-storage project is filed under
# energy, not under its enterprise's software.
project_industry = Table(
    "project_industry",
    Base.metadata,
    Column("project_id", ForeignKey("project.id", ondelete="CASCADE"), primary_key=True),
    Column("industry_id", ForeignKey("industry.id", ondelete="RESTRICT"), primary_key=True),
)


class Project(Timestamped, Indexed, Base):
    """A financing need of one enterprise."""

    __tablename__ = "project"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    amount_sought: Mapped[Decimal]
    instrument: Mapped[Instrument] = enum_column(Instrument, 20)
    stage: Mapped[Stage] = enum_column(Stage, 10)
    use_of_funds: Mapped[str] = mapped_column(Text, default="")
    valuation: Mapped[Decimal | None]
    deadline: Mapped[date | None]
    status: Mapped[ProjectStatus] = enum_column(
        ProjectStatus, 12, default=ProjectStatus.DRAFT, index=True
    )
    published_at: Mapped[datetime | None]

    enterprise: Mapped[Enterprise] = relationship(back_populates="projects")
    # By code (an industry before its sub-fields): PostgreSQL returns link rows in no set order.
    industries: Mapped[list[Industry]] = relationship(
        secondary=project_industry, order_by="Industry.code"
    )


@event.listens_for(Session, "before_flush")
def _default_to_enterprise_industries(session: Session, _context, _instances) -> None:
    """A project inserted without industries of its own takes its enterprise's.

    Here, at the insert, rather than in the project service: the demo seed and test builders
    insert projects without the service, and no path may leave a new project with none.
    """
    for row in session.new:
        if isinstance(row, Project) and not row.industries:
            # A pending project named by enterprise_id alone has not loaded its enterprise yet.
            enterprise = row.enterprise or session.get(Enterprise, row.enterprise_id)
            if enterprise is not None:
                row.industries = list(enterprise.industries)
