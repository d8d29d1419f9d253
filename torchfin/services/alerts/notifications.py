"""In-app notifications of saved-search alerts and watchlist events: announcing (in-app and by
mail, one path for both), listing, counting and marking them read."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import selectinload

from torchfin.extensions import db
from torchfin.models import (
    EnterpriseEvent,
    Notification,
    Project,
    User,
)
from torchfin.models.base import utcnow
from torchfin.services.alerts.mailer import Mail, get_mailer
from torchfin.services.deal_flow.discovery import load_in_order
from torchfin.services.errors import NotFound


def announce(
    user_id: int,
    title: str,
    mail: Mail,
    now: datetime,
    *,
    saved_search_id: int | None = None,
    project_ids: Sequence[int] = (),
    event_ids: Sequence[int] = (),
) -> None:
    """Tell a user in-app and by mail, in the caller's transaction (both are kept only if it
    commits, so a rolled-back run announces nothing)."""
    db.session.add(
        Notification(
            user_id=user_id,
            saved_search_id=saved_search_id,
            title=title,
            project_ids=list(project_ids),
            event_ids=list(event_ids),
            created_at=now,
        )
    )
    get_mailer().send(mail)


def user_notifications(user: User) -> Select:
    """The caller's notifications, newest first."""
    return (
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id.desc())
    )


def recent_notifications(user: User, limit: int) -> list[Notification]:
    """The caller's latest `limit` notifications (for the pages)."""
    return list(db.session.scalars(user_notifications(user).limit(limit)))


def unread_count(user: User) -> int:
    """How many of the caller's notifications are unread."""
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def mark_read(user: User, notification_id: int) -> Notification:
    """Mark one of the caller's notifications read (again is harmless)."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        raise NotFound(f"notification {notification_id} does not exist")
    notification.read_at = notification.read_at or utcnow()
    db.session.commit()
    return notification


def mark_all_read(user: User) -> int:
    """Mark all the caller's notifications read; return how many were unread."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return result.rowcount


def notified_projects(notifications: list[Notification]) -> dict[int, Project]:
    """The projects the notifications announce, by id (deleted ones are absent)."""
    ids = sorted({i for n in notifications for i in n.project_ids})
    return {p.id: p for p in load_in_order(Project, ids)}


def notified_events(notifications: list[Notification]) -> dict[int, EnterpriseEvent]:
    """The enterprise events the notifications announce, by id (deleted ones are absent)."""
    ids = sorted({i for n in notifications for i in n.event_ids})
    found = db.session.scalars(
        select(EnterpriseEvent)
        .where(EnterpriseEvent.id.in_(ids))
        .options(selectinload(EnterpriseEvent.enterprise))
    )
    return {e.id: e for e in found}
