"""The double-entry ledger: transactions of postings that sum to zero; balances are derived."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from torchfin.models.base import Base, utcnow


class LedgerTransaction(Base):
    """One money movement, booked once: `reference` names its source (e.g. "payment:12")."""

    __tablename__ = "ledger_transaction"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique, so a retried job that already booked its payment cannot book it twice.
    reference: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    memo: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # When the money counts on the accounts, which balances and statements go by: the booking
    # time, except for a pool's opening balance, which counts from just before the day the
    # sponsor's books date it (services/finance/pool_opening.py).
    value_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    postings: Mapped[list["LedgerPosting"]] = relationship(
        back_populates="transaction", cascade="all, delete-orphan"
    )


class LedgerPosting(Base):
    """One leg of a transaction: a signed amount on an account (debit positive, credit negative)."""

    __tablename__ = "ledger_posting"

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(
        ForeignKey("ledger_transaction.id", ondelete="CASCADE"), index=True
    )
    account: Mapped[str] = mapped_column(String(60), index=True)
    amount: Mapped[Decimal]

    transaction: Mapped[LedgerTransaction] = relationship(back_populates="postings")
