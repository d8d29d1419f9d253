"""Listings and mergers of enterprises (上市、挂牌、并购) and the rewards zones pay for them."""

from datetime import date
from decimal import Decimal

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from torchfin.models.base import Base, Timestamped, enum_column
from torchfin.models.enterprise import Enterprise
from torchfin.models.enums import ListingVenue, RewardStatus
from torchfin.models.reference import Zone


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
    rewards: Mapped[list["IncentiveReward"]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )


class IncentiveReward(Timestamped, Base):
    """A reward a zone grants for a listing or merger under one of its policies."""

    __tablename__ = "incentive_reward"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("listing_event.id", ondelete="CASCADE"), index=True
    )
    zone_id: Mapped[int] = mapped_column(ForeignKey("zone.id", ondelete="RESTRICT"))
    policy: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal]
    status: Mapped[RewardStatus] = enum_column(RewardStatus, 10, default=RewardStatus.RECORDED)

    event: Mapped[ListingEvent] = relationship(back_populates="rewards")
    zone: Mapped[Zone] = relationship()
