"""Confidentiality: institutions' access grants to enterprise financials, and the access log."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from torchfin.models.account import User
from torchfin.models.base import Base, Timestamped, enum_column, utcnow
from torchfin.models.enterprise import Enterprise
from torchfin.models.enums import AccessEvent, GrantState, ReadChannel
from torchfin.models.institution import Institution


class AccessGrant(Timestamped, Base):
    """An institution's request to read an enterprise's financials, and the enterprise's answer.

    A row is never reopened: after a denial or a revocation the institution asks again with a
    new row, so each row is one decision history.
    """

    __tablename__ = "access_grant"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[GrantState] = enum_column(GrantState, 10, default=GrantState.PENDING)
    purpose: Mapped[str] = mapped_column(String(500), default="")
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    enterprise: Mapped[Enterprise] = relationship()
    institution: Mapped[Institution] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class AccessLogEntry(Base):
    """One grant decision or one read of confidential data; rows are only ever added.

    The foreign keys are SET NULL so that the log outlives a deleted user or enterprise.
    """

    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    event: Mapped[AccessEvent] = enum_column(AccessEvent, 10)
    channel: Mapped[ReadChannel | None] = enum_column(ReadChannel, 8)
    enterprise_id: Mapped[int | None] = mapped_column(
        ForeignKey("enterprise.id", ondelete="SET NULL"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institution.id", ondelete="SET NULL")
    )
    grant_id: Mapped[int | None] = mapped_column(ForeignKey("access_grant.id", ondelete="SET NULL"))

    user: Mapped[User | None] = relationship()
    institution: Mapped[Institution | None] = relationship()
    grant: Mapped[AccessGrant | None] = relationship()
