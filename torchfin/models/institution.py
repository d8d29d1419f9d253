"""Financial institutions and their mandates (what one fund, product or desk finances)."""

from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from torchfin.models.base import Base, Indexed, Timestamped, enum_column
from torchfin.models.enums import InstitutionKind


class Institution(Timestamped, Indexed, Base):
    """A guidance fund, VC, angel, bank, guarantee agency, securities firm or insurer."""

    __tablename__ = "institution"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[InstitutionKind] = enum_column(InstitutionKind, 20, index=True)
    province: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")

    mandates: Mapped[list["Mandate"]] = relationship(
        back_populates="institution", cascade="all, delete-orphan"
    )


class Mandate(Timestamped, Indexed, Base):
    """What one fund, loan product or desk of an institution will finance.

    The list-valued criteria are codes (industry codes, stage and instrument values, zone codes,
    province names), kept as JSON arrays because they are read whole and matched in search.
    """

    __tablename__ = "mandate"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    industries: Mapped[list[str]] = mapped_column(JSON, default=list)
    stages: Mapped[list[str]] = mapped_column(JSON, default=list)
    instruments: Mapped[list[str]] = mapped_column(JSON, default=list)
    ticket_min: Mapped[Decimal]
    ticket_max: Mapped[Decimal]
    zones: Mapped[list[str]] = mapped_column(JSON, default=list)
    provinces: Mapped[list[str]] = mapped_column(JSON, default=list)
    excluded_industries: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)

    institution: Mapped[Institution] = relationship(back_populates="mandates")
