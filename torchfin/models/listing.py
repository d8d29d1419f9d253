"""Listings and mergers of enterprises (上市、挂牌、并购); their rewards are policy applications."""

from datetime import date

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from torchfin.models.base import Base, Timestamped, enum_column
from torchfin.models.enterprise import Enterprise
from torchfin.models.enums import ListingStage, ListingVenue


class ListingEvent(Timestamped, Base):
    """An enterprise's listing on a venue reached a stage, or it merged, on a date (ticker or
    counterparty named). One listing is several events: filed, then approved, then listed."""

    __tablename__ = "listing_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    venue: Mapped[ListingVenue] = enum_column(ListingVenue, 12)
    # Events recorded before stages were are listings (or completed mergers).
    stage: Mapped[ListingStage] = enum_column(
        ListingStage, 12, default=ListingStage.LISTED, server_default=ListingStage.LISTED.value
    )
    event_on: Mapped[date]
    reference: Mapped[str] = mapped_column(String(200))

    enterprise: Mapped[Enterprise] = relationship()
