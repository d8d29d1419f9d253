"""In-app notifications of saved-search alerts: listing, counting and marking them read."""

from sqlalchemy import Select, func, select, update

from torchfin.extensions import db
from torchfin.models import (
    Notification,
    Project,
    User,
)
from torchfin.models.base import utcnow
from torchfin.services.deal_flow.discovery import load_in_order
from torchfin.services.errors import NotFound


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
