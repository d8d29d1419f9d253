"""Listings and mergers of enterprises (上市、挂牌、并购); their rewards are policy applications."""

from datetime import date

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from torchfin.models.base import Base, Timestamped, enum_column
from torchfin.models.enterprise import Enterprise
from torchfin.models.enums import ListingVenue


class ListingEvent(Timestamped, Base):
    """An enterprise listed on a venue, or merged, on a date (ticker or counterparty named)."""

    __tablename__ = "listing_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    venue: Mapped[ListingVenue] = enum_column(ListingVenue, 12)
    event_on: Mapped[date]
    reference: Mapped[str] = mapped_column(String(200))

    enterprise: Mapped[Enterprise] = relationship()
