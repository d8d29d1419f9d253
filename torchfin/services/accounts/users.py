"""Users, sign-in, and ending sessions (API bearer tokens: `torchfin.services.accounts.tokens`).

Session and remember-me cookies are signed, not stored: a cookie copied before sign-out would
still verify. Each user therefore has a session generation that cookies carry
(`User.get_id`); moving it on refuses every cookie issued before, in every browser at once.
"""

from sqlalchemy import func, select

from torchfin.extensions import db
from torchfin.models import Organisation, User
from torchfin.models.enums import Role
from torchfin.services.accounts.passwords import hash_password, verify_password
from torchfin.services.accounts.tokens import revoke_all
from torchfin.services.errors import Conflict

# The shortest new password the account page accepts.
MIN_PASSWORD_LENGTH = 10


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


def _next_generation(user: User) -> None:
    # Incremented in SQL, not in Python: two sign-outs at once must both move past the
    # generation the captured cookies carry, never write back the same value.
    user.session_generation = User.session_generation + 1


def end_sessions(user: User) -> None:
    """Sign `user` out of every browser: cookies issued so far are refused from now on."""
    _next_generation(user)
    db.session.commit()


def sign_out_everywhere(user: User) -> None:
    """End every session of `user` and revoke all their API tokens, in one transaction."""
    _next_generation(user)
    revoke_all(user)
    db.session.commit()


def change_password(user: User, current: str, new: str) -> bool:
    """Set `new` as the password when `current` is right (False when it is not), ending every
    session of the user: whoever held a cookie or the old password is signed out."""
    if not verify_password(user.password_hash, current):
        return False
    user.password_hash = hash_password(new)
    _next_generation(user)
    db.session.commit()
    return True
