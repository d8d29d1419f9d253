"""Watchlists: users following enterprises, the enterprise events worth announcing, and the
deliveries that make each event reach each follower once."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from torchfin.models.account import User
from torchfin.models.base import Base, enum_column, utcnow
from torchfin.models.enterprise import Enterprise
from torchfin.models.enums import Stage


class FollowDelivery(StrEnum):
    """When a follower hears of a followed enterprise's events."""

    INSTANT = "instant"  # 实时：事件记录后由任务立即推送
    DAILY = "daily"  # 每日摘要


class EnterpriseEventKind(StrEnum):
    """What happened to a followed enterprise."""

    PROJECT_PUBLISHED = "project_published"
    STAGE_CHANGED = "stage_changed"
    FINANCING_RECORDED = "financing_recorded"
    LISTING = "listing"
    MERGER = "merger"
    READINESS_CHANGED = "readiness_changed"


class Follow(Base):
    """A user following an enterprise; only events from `created_at` on reach them."""

    __tablename__ = "follow"
    __table_args__ = (UniqueConstraint("user_id", "enterprise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    delivery: Mapped[FollowDelivery] = enum_column(FollowDelivery, 10)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When a daily digest last carried this follow's events: the next is due a day later.
    last_digest_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
    enterprise: Mapped[Enterprise] = relationship()


class EnterpriseEvent(Base):
    """Something a follower is told about, recorded once per source: (kind, source_ref) is unique.

    `source_ref` names the record it came from ("project:12", "project:12:v3" for the change
    that made version 3, "placement:3", "listing_event:7", "readiness_check:40"); `summary` is
    what followers may read (a project title, a ticker or counterparty), never internal figures.
    """

    __tablename__ = "enterprise_event"
    __table_args__ = (UniqueConstraint("kind", "source_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EnterpriseEventKind] = enum_column(EnterpriseEventKind, 20)
    source_ref: Mapped[str] = mapped_column(String(80))
    # The published project it concerns, for the link in mails and pages (none for the others).
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id", ondelete="SET NULL"))
    summary: Mapped[str] = mapped_column(String(300))
    # The round: the new one of a stage change, the one a financing was made in.
    stage: Mapped[Stage | None] = enum_column(Stage, 10)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    enterprise: Mapped[Enterprise] = relationship()


class EventDelivery(Base):
    """One event having reached one follower; the unique pair makes announcements exactly-once."""

    __tablename__ = "event_delivery"
    __table_args__ = (UniqueConstraint("user_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise_event.id", ondelete="CASCADE"), index=True
    )
    delivered_at: Mapped[datetime] = mapped_column(default=utcnow)
