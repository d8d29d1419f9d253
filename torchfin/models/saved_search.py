"""Saved searches with alerts, the deliveries that keep alerts from repeating, in-app
notifications (of saved searches and watchlists) and the sandbox mailer's stored mails."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from torchfin.models.account import User
from torchfin.models.base import Base, Timestamped, enum_column, utcnow


class AlertFrequency(StrEnum):
    """How often a saved search alerts its owner."""

    INSTANT = "instant"  # 实时：每分钟检查
    DAILY = "daily"
    WEEKLY = "weekly"


class SavedSearch(Timestamped, Base):
    """A search an investor keeps, with the validated query and the alert high-water mark.

    `active_since` is when the search was created or last resumed: nothing published before it
    is ever alerted (a resumed search does not replay what was published while it was paused).
    `checked_through` is the high-water mark: every project published before it was considered.
    """

    __tablename__ = "saved_search"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    # The SearchArgsSchema arguments in canonical JSON form (strings, numbers, lists).
    query: Mapped[dict] = mapped_column(JSON)
    frequency: Mapped[AlertFrequency] = enum_column(AlertFrequency, 10)
    paused: Mapped[bool] = mapped_column(default=False)
    active_since: Mapped[datetime] = mapped_column(default=utcnow)
    checked_through: Mapped[datetime] = mapped_column(default=utcnow)
    last_notified_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class SavedSearchDelivery(Base):
    """One project having reached one saved search; the unique pair makes alerts exactly-once."""

    __tablename__ = "saved_search_delivery"
    __table_args__ = (UniqueConstraint("saved_search_id", "project_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    saved_search_id: Mapped[int] = mapped_column(ForeignKey("saved_search.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    delivered_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notification(Base):
    """An in-app message to one user: new projects for a saved search (`saved_search_id` and
    `project_ids`), or new events of followed enterprises (`event_ids`)."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    # Kept when the saved search is deleted: the message stays readable.
    saved_search_id: Mapped[int | None] = mapped_column(
        ForeignKey("saved_search.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(200))
    project_ids: Mapped[list] = mapped_column(JSON, default=list)
    event_ids: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    saved_search: Mapped[SavedSearch | None] = relationship()

    @property
    def read(self) -> bool:
        """True once the user opened or dismissed it."""
        return self.read_at is not None


class OutgoingMail(Base):
    """A mail as the sandbox mailer keeps it instead of sending it (viewable at /dev/mails)."""

    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
