"""Suspected duplicate enterprises, flagged at registration for an admin to merge or dismiss."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from torchfin.models.account import User
from torchfin.models.base import Base, Timestamped, enum_column
from torchfin.models.enterprise import Enterprise
from torchfin.models.enums import FlagStatus


class DuplicateFlag(Timestamped, Base):
    """A newly registered enterprise whose name is very close to an existing one in its zone.

    The names are copied at flagging time so a resolved flag still reads sensibly after a merge
    deleted one side and moved the flag onto the survivor.
    """

    __tablename__ = "duplicate_flag"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    enterprise_name: Mapped[str] = mapped_column(String(200))
    candidate_name: Mapped[str] = mapped_column(String(200))
    similarity: Mapped[Decimal] = mapped_column(Numeric(4, 3))
    status: Mapped[FlagStatus] = enum_column(FlagStatus, 10, default=FlagStatus.OPEN, index=True)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None]

    enterprise: Mapped[Enterprise] = relationship(foreign_keys=[enterprise_id])
    candidate: Mapped[Enterprise] = relationship(foreign_keys=[candidate_id])
    decided_by: Mapped[User | None] = relationship()
