"""Users, sign-in and API bearer tokens."""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import func, select

from torchfin.extensions import db
from torchfin.models import ApiToken, Organisation, User
from torchfin.models.base import utcnow
from torchfin.models.enums import Role
from torchfin.services.errors import Conflict
from torchfin.services.passwords import hash_password, verify_password

TOKEN_PREFIX = "tf_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(
    email: str,
    password: str,
    role: Role,
    display_name: str,
    organisation: Organisation | None = None,
) -> User:
    """Create a user; refuses an e-mail address already registered."""
    email = email.strip().lower()
    if db.session.scalar(select(func.count()).where(User.email == email)):
        raise Conflict(
            f"a user with e-mail {email} already exists", {"email": ["already registered"]}
        )
    user = User(
        email=email,
        password_hash=hash_password(password),
        role=role,
        display_name=display_name,
        organisation=organisation,
    )
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active or not verify_password(user.password_hash, password):
        return None
    return user


def issue_token(user: User, name: str, ttl: timedelta) -> tuple[str, ApiToken]:
    """Create a bearer token for `user`; the plain token is returned once and never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, digest=_digest(plain), name=name, expires_at=utcnow() + ttl)
    db.session.add(token)
    db.session.commit()
    return plain, token


def user_for_token(plain: str) -> User | None:
    """The user a valid (known, unexpired, unrevoked) bearer token belongs to, or None."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.digest == _digest(plain)))
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at <= utcnow() or not token.user.active:
        return None
    return token.user


def revoke_token(plain: str) -> bool:
    """Revoke a token; True when it existed and was live."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.digest == _digest(plain)))
    if token is None or token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    db.session.commit()
    return True
