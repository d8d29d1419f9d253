"""Reference data: national high-tech zones and the industry taxonomy."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from torchfin.models.base import Base, Timestamped


class Zone(Timestamped, Base):
    """A national high-tech zone (国家高新区)."""

    __tablename__ = "zone"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    province: Mapped[str] = mapped_column(String(20), index=True)
    city: Mapped[str] = mapped_column(String(40))
    year_approved: Mapped[int]
    is_demonstration_zone: Mapped[bool] = mapped_column(default=False)
    otc_pilot_since: Mapped[int | None]


class Industry(Timestamped, Base):
    """An industry or sub-field; sub-fields point at their parent industry."""

    __tablename__ = "industry"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str] = mapped_column(String(120))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("industry.id", ondelete="RESTRICT"))
    is_strategic_emerging: Mapped[bool] = mapped_column(default=False)

    parent: Mapped["Industry | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Industry"]] = relationship(back_populates="parent")

    @property
    def parent_code(self) -> str | None:
        """Code of the parent industry, None for a top-level industry."""
        return self.parent.code if self.parent else None
