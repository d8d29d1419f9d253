"""Financing projects (融资需求) posted by enterprises."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from torchfin.models.base import Base, Indexed, Timestamped, enum_column
from torchfin.models.enterprise import Enterprise
from torchfin.models.enums import Instrument, ProjectStatus, Stage


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
