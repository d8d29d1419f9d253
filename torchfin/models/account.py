"""Users, the organisations they act for, and API tokens."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from torchfin.models.base import Base, Timestamped, enum_column
from torchfin.models.enterprise import Enterprise
from torchfin.models.enums import OrganisationKind, Role
from torchfin.models.institution import Institution
from torchfin.models.reference import Zone

# What a bearer token may do: `read` (GET, HEAD, OPTIONS), `write` (POST, PUT, PATCH, DELETE).
TOKEN_SCOPES = ("read", "write")


class Organisation(Timestamped, Base):
    """A body users act for: an enterprise, an institution, a zone administration, the platform."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OrganisationKind] = enum_column(OrganisationKind, 16)
    enterprise_id: Mapped[int | None] = mapped_column(
        ForeignKey("enterprise.id", ondelete="SET NULL"), unique=True
    )
    institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institution.id", ondelete="SET NULL"), unique=True
    )
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zone.id", ondelete="SET NULL"))

    enterprise: Mapped[Enterprise | None] = relationship()
    institution: Mapped[Institution | None] = relationship()
    zone: Mapped[Zone | None] = relationship()
    users: Mapped[list["User"]] = relationship(back_populates="organisation")


class User(UserMixin, Timestamped, Base):
    """A person who signs in."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = enum_column(Role, 16)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL")
    )
    active: Mapped[bool] = mapped_column(default=True)
    # Moved on to end every session of the user at once (`accounts.end_sessions`): the session
    # and remember-me cookies carry the generation they were issued in (`get_id`), and a
    # cookie of an older one is refused, even though its signature is still good.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    organisation: Mapped[Organisation | None] = relationship(back_populates="users")

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember-me cookie: "<id>:<generation>"
        (read back by `torchfin.auth.user_for_session`)."""
        return f"{self.id}:{self.session_generation}"

    @property
    def is_active(self) -> bool:  # Flask-Login reads this to refuse disabled accounts.
        return self.active

    @property
    def enterprise_id(self) -> int | None:
        """The enterprise this user acts for, if any."""
        return self.organisation.enterprise_id if self.organisation else None

    @property
    def institution_id(self) -> int | None:
        """The institution this user acts for, if any."""
        return self.organisation.institution_id if self.organisation else None


class ApiToken(Timestamped, Base):
    """A bearer token for the API; only its SHA-256 digest is stored.

    `scopes` is a space-separated subset of TOKEN_SCOPES.
    """

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    # Tokens issued before scopes existed could do everything; they keep doing so until expiry.
    scopes: Mapped[str] = mapped_column(
        String(100), default="read write", server_default="read write"
    )
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
