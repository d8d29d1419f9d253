"""The alert run: finding the projects newly published for each due saved search, once.

Exactly-once alerts rest on three things: only projects *published* since the search's
high-water mark are looked at (an edit does not change `published_at`), every (saved search,
project) pair is inserted into `saved_search_delivery` under a unique constraint, and only the
pairs this run actually inserted are announced. A retried or overlapping run therefore finds
nothing new to announce, and the high-water mark can safely look back a little.
"""

from datetime import datetime, timedelta

from sqlalchemy import func, select

from schemas.search import SearchArgsSchema
from torchfin.extensions import db
from torchfin.models import (
    AlertFrequency,
    OutboxEvent,
    Project,
    SavedSearch,
    SavedSearchDelivery,
)
from torchfin.models.base import utcnow
from torchfin.models.bulk import insert_new_rows
from torchfin.models.enums import ProjectStatus
from torchfin.services.alerts.alert_mail import alert_mail
from torchfin.services.alerts.notifications import announce
from torchfin.services.deal_flow.discovery import all_matching_ids, load_in_order

search_args_schema = SearchArgsSchema()

# How long after a project's publication it is still picked up: covers a publishing
# transaction that committed (or reached the index) after a run had already moved the mark.
LOOKBACK = timedelta(minutes=10)
PERIODS = {
    AlertFrequency.INSTANT: timedelta(0),
    AlertFrequency.DAILY: timedelta(days=1),
    AlertFrequency.WEEKLY: timedelta(days=7),
}
# Daily and weekly searches are checked every hour (see workers/periodic.py); one that would
# become due before the next check is treated as due now rather than an hour late.
CHECK_GRACE = timedelta(hours=1)


def due_cutoff(frequency: AlertFrequency, now: datetime) -> datetime:
    """Whatever was last announced at or before this is due again now (for `frequency`)."""
    period = PERIODS[frequency]
    return now - max(period - CHECK_GRACE, timedelta(0)) if period else now


def due_saved_searches(frequency: AlertFrequency, now: datetime) -> list[int]:
    """Ids of the active saved searches of `frequency` whose period has passed."""
    cutoff = due_cutoff(frequency, now)
    return list(
        db.session.scalars(
            select(SavedSearch.id)
            .where(
                SavedSearch.frequency == frequency,
                SavedSearch.paused.is_(False),
                SavedSearch.checked_through <= cutoff,
            )
            .order_by(SavedSearch.id)
        )
    )


def run_alerts(frequency: AlertFrequency, now: datetime | None = None) -> int:
    """Alert every due saved search of `frequency`; return how many projects were announced."""
    now = now or utcnow()
    return sum(alert_saved_search(i, now) for i in due_saved_searches(frequency, now))


def _indexed_through(now: datetime) -> datetime:
    """Up to when the search index is known complete: now, or the oldest pending project change.

    A project whose publication is still in the outbox cannot be found yet; the mark stops
    before it so that the next run looks again.
    """
    pending = db.session.scalar(
        select(func.min(OutboxEvent.created_at)).where(OutboxEvent.kind == "project")
    )
    return min(now, pending) if pending else now


def _record_deliveries(saved_search_id: int, project_ids: list[int], now: datetime) -> set[int]:
    """Insert the (search, project) pairs not delivered yet; return the projects inserted."""
    rows = [
        {"saved_search_id": saved_search_id, "project_id": i, "delivered_at": now}
        for i in project_ids
    ]
    return set(
        insert_new_rows(
            db.session,
            SavedSearchDelivery.__table__,
            rows,
            ("saved_search_id", "project_id"),
            SavedSearchDelivery.project_id,
        )
    )


def _newly_published(saved: SavedSearch, since: datetime) -> list[Project]:
    """Published projects matching the saved query, published at or after `since`, newest first.

    Elasticsearch applies the saved filters; SQL confirms each hit is still published (the
    index may lag a withdrawal by a moment).
    """
    args = search_args_schema.load(saved.query)
    args.update(kind="project", sort="newest", published_after=since)
    projects = load_in_order(Project, list(all_matching_ids(args)))
    return [
        p
        for p in projects
        if p.status == ProjectStatus.PUBLISHED and p.published_at and p.published_at >= since
    ]


def alert_saved_search(saved_search_id: int, now: datetime | None = None) -> int:
    """One alert run of one saved search, in one transaction; return the projects announced.

    Idempotent: running it again (a retried job, an overlapping run) announces nothing twice.
    """
    now = now or utcnow()
    saved = db.session.get(SavedSearch, saved_search_id)
    if saved is None or saved.paused:
        return 0
    mark = _indexed_through(now)
    since = max(saved.active_since, saved.checked_through - LOOKBACK)
    candidates = _newly_published(saved, since)
    inserted = _record_deliveries(saved.id, [p.id for p in candidates], now)
    new = [p for p in candidates if p.id in inserted]
    if new:
        announce(
            saved.user_id,
            saved.name,
            alert_mail(saved, new),
            now,
            saved_search_id=saved.id,
            project_ids=[p.id for p in new],
        )
        saved.last_notified_at = now
    saved.checked_through = max(saved.checked_through, mark)
    db.session.commit()
    return len(new)
