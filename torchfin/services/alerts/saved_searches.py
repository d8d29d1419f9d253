"""Saved searches: keeping, renaming, pausing and deleting a user's searches."""

from sqlalchemy import Select, func, select

from torchfin.extensions import db
from torchfin.models import (
    SavedSearch,
    User,
)
from torchfin.models.base import utcnow
from torchfin.services.errors import Invalid, NotFound

MAX_PER_USER = 50


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


def apply_pause(saved: SavedSearch, paused: bool) -> None:
    """Pause or resume `saved` in the caller's transaction; a resumed search alerts from now."""
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
        apply_pause(saved, data["paused"])
    db.session.commit()
    return saved


def set_paused(user: User, saved_search_id: int, paused: bool) -> SavedSearch:
    """Pause or resume one of the caller's saved searches."""
    return update_saved_search(user, saved_search_id, {"paused": paused})


def remove(saved: SavedSearch) -> None:
    """Delete `saved` and commit."""
    # Its deliveries go with it and its notifications stay, unlinked: ON DELETE CASCADE and
    # SET NULL, enforced on both databases.
    db.session.delete(saved)
    db.session.commit()


def delete_saved_search(user: User, saved_search_id: int) -> None:
    """Delete one of the caller's saved searches (its notifications stay readable)."""
    remove(get_saved_search(user, saved_search_id))
