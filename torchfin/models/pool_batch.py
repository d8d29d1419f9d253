"""Pool batches: a bank's repayment file or a sponsor's claim approvals, applied row by row."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from torchfin.models.base import Base, Timestamped, enum_column
from torchfin.models.enums import BatchRowStatus, BatchStatus, PoolBatchKind


class PoolBatch(Timestamped, Base):
    """One uploaded file or approval request, worked by an RQ job; `done` of `total` rows."""

    __tablename__ = "pool_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    pool_id: Mapped[int] = mapped_column(ForeignKey("risk_pool.id"), index=True)
    kind: Mapped[PoolBatchKind] = enum_column(PoolBatchKind, 20)
    # Who asked; NULL for an operator at the console (`flask pool repayments`).
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    file_sha256: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[BatchStatus] = enum_column(BatchStatus, 10, default=BatchStatus.QUEUED)
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    job_id: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None]

    rows: Mapped[list["PoolBatchRow"]] = relationship(
        back_populates="batch", order_by="PoolBatchRow.row_no", cascade="all, delete-orphan"
    )


class PoolBatchRow(Base):
    """One row of a batch: what it asked for, and how it ended (`status`, `message`).

    A repayment row names a loan, an amount and a day; a claim-approval row names a claim.
    `idempotency_key` is the key of the effect the row makes, so a row of a second batch that
    repeats an earlier one is found a duplicate of it.
    """

    __tablename__ = "pool_batch_row"
    __table_args__ = (UniqueConstraint("batch_id", "row_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("pool_batch.id", ondelete="CASCADE"))
    row_no: Mapped[int]
    loan_no: Mapped[str] = mapped_column(String(60), default="")
    loan_id: Mapped[int | None] = mapped_column(ForeignKey("pool_loan.id"))
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("pool_claim.id"))
    amount: Mapped[Decimal | None]
    paid_on: Mapped[date | None]
    reference: Mapped[str] = mapped_column(String(60), default="")
    idempotency_key: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[BatchRowStatus] = enum_column(BatchRowStatus, 10, default=BatchRowStatus.PENDING)
    message: Mapped[str] = mapped_column(Text, default="")

    batch: Mapped[PoolBatch] = relationship(back_populates="rows")
