"""Saved searches and their alerts: keeping, pausing and deleting searches, the signed links of
alert mails, the alert run that finds newly published projects, and in-app notifications.

Exactly-once alerts rest on three things: only projects *published* since the search's
high-water mark are looked at (an edit does not change `published_at`), every (saved search,
project) pair is inserted into `saved_search_delivery` under a unique constraint, and only the
pairs this run actually inserted are announced. A retried or overlapping run therefore finds
nothing new to announce, and the high-water mark can safely look back a little.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Select, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from schemas.search import SearchArgsSchema
from torchfin.extensions import db
from torchfin.models import (
    AlertFrequency,
    Notification,
    OutboxEvent,
    Project,
    SavedSearch,
    SavedSearchDelivery,
    User,
)
from torchfin.models.base import utcnow
from torchfin.models.enums import ProjectStatus
from torchfin.services.alerts.mailer import Mail, get_mailer
from torchfin.services.deal_flow.discovery import all_matching_ids, load_in_order
from torchfin.services.errors import Invalid, NotFound

search_args_schema = SearchArgsSchema()

MAX_PER_USER = 50
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
MAIL_LISTED = 20  # projects listed in one mail; the rest are counted
TOKEN_SALT = "torchfin.saved-search-mail"
TOKEN_MAX_AGE = 90 * 24 * 3600  # seconds a mail's pause/delete link keeps working
MAIL_ACTIONS = ("pause", "delete")


# --- keeping saved searches -------------------------------------------------------------------


def user_saved_searches(user: User) -> Select:
    """The caller's saved searches, newest first."""
    return select(SavedSearch).where(SavedSearch.user_id == user.id).order_by(SavedSearch.id.desc())


def saved_searches_of(user: User) -> list[SavedSearch]:
    """The caller's saved searches as a list (for the pages)."""
    return list(db.session.scalars(user_saved_searches(user)))


def get_saved_search(user: User, saved_search_id: int) -> SavedSearch:
    """One of the caller's saved searches; anyone else's is reported as missing."""
    saved = db.session.get(SavedSearch, saved_search_id)
    if saved is None or saved.user_id != user.id:
        raise NotFound(f"saved search {saved_search_id} does not exist")
    return saved


def create_saved_search(user: User, data: dict) -> SavedSearch:
    """Keep a search (name, frequency, canonical query) for the caller; alerts start now."""
    owned = db.session.scalar(
        select(func.count()).select_from(SavedSearch).where(SavedSearch.user_id == user.id)
    )
    if owned >= MAX_PER_USER:
        raise Invalid(
            "too many saved searches",
            {"name": [f"You can keep at most {MAX_PER_USER} saved searches; delete one first."]},
        )
    now = utcnow()
    saved = SavedSearch(
        user_id=user.id,
        name=data["name"],
        frequency=data["frequency"],
        query=data["query"],
        active_since=now,
        checked_through=now,
    )
    db.session.add(saved)
    db.session.commit()
    return saved


def _set_paused(saved: SavedSearch, paused: bool) -> None:
    if saved.paused == paused:
        return
    saved.paused = paused
    if not paused:
        # A resumed search alerts from now on: what was published meanwhile is not replayed.
        saved.active_since = saved.checked_through = utcnow()


def update_saved_search(user: User, saved_search_id: int, data: dict) -> SavedSearch:
    """Rename, change the frequency, pause or resume one of the caller's saved searches."""
    saved = get_saved_search(user, saved_search_id)
    for name in ("name", "frequency"):
        if name in data:
            setattr(saved, name, data[name])
    if "paused" in data:
        _set_paused(saved, data["paused"])
    db.session.commit()
    return saved


def set_paused(user: User, saved_search_id: int, paused: bool) -> SavedSearch:
    """Pause or resume one of the caller's saved searches."""
    return update_saved_search(user, saved_search_id, {"paused": paused})


def _delete(saved: SavedSearch) -> None:
    # Its deliveries go with it and its notifications stay, unlinked: ON DELETE CASCADE and
    # SET NULL, enforced on both databases.
    db.session.delete(saved)
    db.session.commit()


def delete_saved_search(user: User, saved_search_id: int) -> None:
    """Delete one of the caller's saved searches (its notifications stay readable)."""
    _delete(get_saved_search(user, saved_search_id))


# --- the signed links in alert mails ----------------------------------------------------------


@dataclass(frozen=True)
class MailAction:
    """What a mail link asks for: pause or delete this saved search."""

    saved_search: SavedSearch
    action: str


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)


def mail_token(saved: SavedSearch, action: str) -> str:
    """A signed token that lets the mail's reader `action` the search without signing in."""
    return _serializer().dumps({"saved_search_id": saved.id, "action": action})


def read_mail_token(token: str) -> MailAction:
    """The action a token grants; Invalid when it was tampered with or expired."""
    try:
        payload = _serializer().loads(token, max_age=TOKEN_MAX_AGE)
    except SignatureExpired as exc:
        raise Invalid("expired link", {"token": ["This link has expired."]}) from exc
    except BadSignature as exc:
        raise Invalid("invalid link", {"token": ["This link is not valid."]}) from exc
    if not isinstance(payload, dict) or payload.get("action") not in MAIL_ACTIONS:
        raise Invalid("invalid link", {"token": ["This link is not valid."]})
    saved = db.session.get(SavedSearch, payload.get("saved_search_id"))
    if saved is None:
        raise NotFound("this saved search was already deleted")
    return MailAction(saved, payload["action"])


def apply_mail_token(token: str) -> MailAction:
    """Carry out what a mail link asks for (pause or delete)."""
    request = read_mail_token(token)
    if request.action == "pause":
        _set_paused(request.saved_search, True)
        db.session.commit()
    else:
        _delete(request.saved_search)
    return request


# --- the alert run ----------------------------------------------------------------------------


def due_saved_searches(frequency: AlertFrequency, now: datetime) -> list[int]:
    """Ids of the active saved searches of `frequency` whose period has passed."""
    period = PERIODS[frequency]
    cutoff = now - max(period - CHECK_GRACE, timedelta(0)) if period else now
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
    if not project_ids:
        return set()
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(SavedSearchDelivery)
        .values(
            [
                {"saved_search_id": saved_search_id, "project_id": i, "delivered_at": now}
                for i in project_ids
            ]
        )
        .on_conflict_do_nothing(index_elements=["saved_search_id", "project_id"])
        .returning(SavedSearchDelivery.project_id)
    )
    return set(db.session.scalars(statement))


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
        db.session.add(
            Notification(
                user_id=saved.user_id,
                saved_search_id=saved.id,
                title=saved.name,
                project_ids=[p.id for p in new],
                created_at=now,
            )
        )
        get_mailer().send(_alert_mail(saved, new))
        saved.last_notified_at = now
    saved.checked_through = max(saved.checked_through, mark)
    db.session.commit()
    return len(new)


def external_url(endpoint: str, **values) -> str:
    """An absolute link for a mail, on PUBLIC_BASE_URL (there is no request to take it from)."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return f"{base}{path}"


def search_url(query: dict, endpoint: str = "web.search") -> str:
    """The search page (or an export) for a saved query, as a link."""
    pairs = [
        (name, v)
        for name, value in query.items()
        for v in (value if isinstance(value, list) else [value])
    ]
    return f"{external_url(endpoint)}?{urlencode(pairs)}" if pairs else external_url(endpoint)


def _alert_mail(saved: SavedSearch, projects: list[Project]) -> Mail:
    """The alert mail listing the new projects, with pause and delete links that need no login."""
    links = {
        "search": search_url(saved.query),
        "manage": external_url("web.subscriptions"),
        "pause": external_url("web.mail_action", token=mail_token(saved, "pause")),
        "delete": external_url("web.mail_action", token=mail_token(saved, "delete")),
        "projects": {p.id: external_url("web.project_detail", project_id=p.id) for p in projects},
    }
    context = {
        "saved": saved,
        "projects": projects[:MAIL_LISTED],
        "more": max(0, len(projects) - MAIL_LISTED),
        "total": len(projects),
        "links": links,
    }
    # Mails go out in Chinese, the platform's default language; there is no request to ask.
    with force_locale("zh"):
        subject = _(
            "【火炬投融资】订阅「%(name)s」有 %(count)s 个新项目",
            name=saved.name,
            count=len(projects),
        )
        text = render_template("mail/alert.txt", **context)
        html = render_template("mail/alert.html", **context)
    return Mail(to=saved.user.email, subject=subject, text=text, html=html)


# --- notifications ----------------------------------------------------------------------------


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
