"""API bearer tokens: issued with scopes and an expiry, hashed at rest, revocable.

Scopes say what a token may do, by HTTP method, on the whole API:

- `read`: GET, HEAD and OPTIONS;
- `write`: POST, PUT, PATCH and DELETE.

A token carries one or both. Who the token's user is still decides *which* records it reaches
(roles and object rules, `docs/security.md`); scopes only narrow that further, so a token handed
to a reporting script cannot change anything even if it leaks.
"""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import Select, select, update
from sqlalchemy.orm import joinedload

from torchfin.extensions import db
from torchfin.models import ApiToken, User
from torchfin.models.account import TOKEN_SCOPES
from torchfin.models.base import utcnow
from torchfin.services.errors import Invalid, NotFound
from torchfin.services.permissions import is_admin

TOKEN_PREFIX = "tf_"
SCOPES = TOKEN_SCOPES
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def scope_for(method: str) -> str:
    """The scope a request with this HTTP method needs."""
    return "read" if method.upper() in SAFE_METHODS else "write"


def scopes_of(token: ApiToken) -> frozenset[str]:
    """The token's scopes as a set."""
    return frozenset(token.scopes.split())


def issue_token(
    user: User, name: str, ttl: timedelta, scopes: tuple[str, ...] | list[str] = SCOPES
) -> tuple[str, ApiToken]:
    """Create a bearer token for `user`; the plain token is returned once and never stored."""
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise Invalid("unknown scopes", {"scopes": [f"Choose one or more of {', '.join(SCOPES)}."]})
    if ttl <= timedelta(0):
        raise Invalid("expiry", {"expires_in_hours": ["Must be in the future."]})
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        digest=_digest(plain),
        name=name,
        scopes=" ".join(s for s in SCOPES if s in scopes),  # canonical order
        expires_at=utcnow() + ttl,
    )
    db.session.add(token)
    db.session.commit()
    return plain, token


def is_live(token: ApiToken) -> bool:
    """Not revoked, not expired, and its user still active."""
    return token.revoked_at is None and token.expires_at > utcnow() and token.user.active


def live_token(plain: str) -> ApiToken | None:
    """The known, unexpired, unrevoked token of an active user, or None."""
    # The user in the same query: every API request asks this first.
    token = db.session.scalar(
        select(ApiToken).options(joinedload(ApiToken.user)).where(ApiToken.digest == _digest(plain))
    )
    return token if token is not None and is_live(token) else None


def revoke_token(plain: str) -> bool:
    """Revoke a token by its plain value; True when it existed and was live."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.digest == _digest(plain)))
    if token is None or token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    db.session.commit()
    return True


def revoke_all(user: User) -> None:
    """Revoke every token of `user` not yet revoked; the caller commits (it is part of
    `accounts.sign_out_everywhere`)."""
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def tokens_of(user: User) -> Select:
    """The user's tokens, newest first (digests never leave the server)."""
    return select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())


def revoke_by_id(token_id: int, user: User | None = None) -> ApiToken:
    """Revoke a token by id: the caller's own (admins: anyone's; `user` None is the operator at
    the console). Others' tokens are reported missing; revoking twice changes nothing."""
    token = db.session.get(ApiToken, token_id)
    if token is None or not (user is None or token.user_id == user.id or is_admin(user)):
        raise NotFound(f"token {token_id} does not exist")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()
    return token
