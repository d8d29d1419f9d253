"""Users and sign-in (API bearer tokens: `torchfin.services.tokens`)."""

from sqlalchemy import func, select

from torchfin.extensions import db
from torchfin.models import Organisation, User
from torchfin.models.enums import Role
from torchfin.services.errors import Conflict
from torchfin.services.passwords import hash_password, verify_password


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
