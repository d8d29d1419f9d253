"""Announcing enterprise events to their followers, each event to each follower once.

Exactly-once rests on the same two things as saved-search alerts: every (user, event) pair is
inserted into `event_delivery` under a unique constraint (ON CONFLICT DO NOTHING), and only the
pairs this transaction inserted are announced, in the transaction that inserted them. A retried
job, or two workers running it at once, therefore announce nothing twice: on PostgreSQL the
second insert waits for the first transaction and then skips its rows, on SQLite the writers
take turns. Only events from the moment a user followed the enterprise, and of the last
`NEWS_WINDOW`, reach them.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import exists, select, update
from sqlalchemy.orm import selectinload

from torchfin.extensions import db
from torchfin.models import (
    AlertFrequency,
    EnterpriseEvent,
    EventDelivery,
    Follow,
    FollowDelivery,
    User,
)
from torchfin.models.base import utcnow
from torchfin.models.bulk import insert_new_rows
from torchfin.services.alerts.alert_runs import due_cutoff
from torchfin.services.alerts.notifications import announce
from torchfin.services.watchlists.follows import may_follow
from torchfin.services.watchlists.watchlist_mail import notification_title, watchlist_mail

# Events older than this are no news any more and are not announced: it bounds each run's
# search for undelivered pairs (which the wake-up after each commit and the minute's sweep keep
# small) to recent events, however long the platform has been recording them.
NEWS_WINDOW = timedelta(days=7)


def pending_deliveries(delivery: FollowDelivery, now: datetime) -> dict[int, list[int]]:
    """Event ids not yet delivered to each follower of `delivery`, by user id, oldest first;
    for daily follows, only those whose last digest is a day old (or that had none yet)."""
    delivered = exists().where(
        EventDelivery.user_id == Follow.user_id, EventDelivery.event_id == EnterpriseEvent.id
    )
    due = Follow.delivery == delivery
    if delivery == FollowDelivery.DAILY:
        cutoff = due_cutoff(AlertFrequency.DAILY, now)
        due &= Follow.last_digest_at.is_(None) | (Follow.last_digest_at <= cutoff)
    rows = db.session.execute(
        select(Follow.user_id, EnterpriseEvent.id)
        .join(EnterpriseEvent, EnterpriseEvent.enterprise_id == Follow.enterprise_id)
        .where(
            due,
            EnterpriseEvent.occurred_at >= Follow.created_at,
            EnterpriseEvent.occurred_at >= now - NEWS_WINDOW,
            ~delivered,
        )
        .order_by(Follow.user_id, EnterpriseEvent.id)
    )
    pending: dict[int, list[int]] = defaultdict(list)
    for user_id, event_id in rows:
        pending[user_id].append(event_id)
    return pending


def deliver_events(delivery: FollowDelivery, now: datetime | None = None) -> int:
    """Announce every pending event to the followers of `delivery` (instant ones as events
    happen, daily ones in a digest at most once a day; the job checks hourly, so a restarted
    scheduler neither repeats nor skips a day); return how many (user, event) pairs were
    announced."""
    now = now or utcnow()
    return sum(
        deliver_to(user_id, event_ids, now, delivery)
        for user_id, event_ids in pending_deliveries(delivery, now).items()
    )


def deliver_to(user_id: int, event_ids: list[int], now: datetime, delivery: FollowDelivery) -> int:
    """Announce the events not yet delivered to one user, in one transaction; return how many.

    Idempotent: the events another run delivered first are skipped. A digest marks the user's
    daily follows as digested now.
    """
    user = db.session.get(User, user_id)
    if user is None or not user.active or not may_follow(user):
        # A disabled account, or one whose role no longer follows, hears nothing.
        db.session.rollback()
        return 0
    rows = [{"user_id": user_id, "event_id": i, "delivered_at": now} for i in event_ids]
    inserted = set(
        insert_new_rows(
            db.session,
            EventDelivery.__table__,
            rows,
            ("user_id", "event_id"),
            EventDelivery.event_id,
        )
    )
    if inserted:
        events = list(
            db.session.scalars(
                select(EnterpriseEvent)
                .where(EnterpriseEvent.id.in_(inserted))
                .options(selectinload(EnterpriseEvent.enterprise))
                .order_by(EnterpriseEvent.occurred_at, EnterpriseEvent.id)
            )
        )
        announce(
            user_id,
            notification_title(events),
            watchlist_mail(user, events),
            now,
            event_ids=[e.id for e in events],
        )
        if delivery == FollowDelivery.DAILY:
            db.session.execute(
                update(Follow)
                .where(Follow.user_id == user_id, Follow.delivery == FollowDelivery.DAILY)
                .values(last_digest_at=now)
            )
    db.session.commit()
    return len(inserted)
