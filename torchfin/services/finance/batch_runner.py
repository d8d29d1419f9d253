"""The job of a pool batch: apply its pending rows one by one, each in its own transaction.

A row's outcome, the batch's progress and the row's effect (a repayment booked, a claim
approved) commit together, so a job killed between rows is simply run again: rows already
applied are no longer pending, and a row whose effect was made by an earlier batch is found a
duplicate by its idempotency key. One row refused does not stop the others.
"""

from collections.abc import Callable

from sqlalchemy import func, select

from torchfin.extensions import db
from torchfin.models import PoolBatch, PoolBatchRow, User
from torchfin.models.base import utcnow
from torchfin.models.enums import BatchRowStatus, BatchStatus, PoolBatchKind
from torchfin.services.errors import ServiceError
from torchfin.services.finance.claim_batches import apply_claim_row
from torchfin.services.finance.repayment_batches import apply_repayment_row
from torchfin.services.job_failures import failure_recorded

RowApplier = Callable[[PoolBatchRow, User | None, int], tuple[bool, str]]
APPLIERS: dict[PoolBatchKind, RowApplier] = {
    PoolBatchKind.REPAYMENTS: apply_repayment_row,
    PoolBatchKind.CLAIM_APPROVALS: apply_claim_row,
}


def work_batch(batch_id: int) -> PoolBatch | None:
    """Apply every pending row of the batch; a finished batch is left as it is."""
    batch = db.session.get(PoolBatch, batch_id)
    if batch is None or batch.status == BatchStatus.DONE:
        return batch
    batch.status, batch.error = BatchStatus.RUNNING, None
    db.session.commit()
    pending = db.session.scalars(
        select(PoolBatchRow.id)
        .where(PoolBatchRow.batch_id == batch_id, PoolBatchRow.status == BatchRowStatus.PENDING)
        .order_by(PoolBatchRow.row_no)
    ).all()
    with failure_recorded(PoolBatch, batch_id):
        for row_id in pending:
            _apply_row(batch_id, row_id)
    batch = db.session.get(PoolBatch, batch_id)
    batch.done = _finished_rows(batch_id)
    batch.status, batch.finished_at = BatchStatus.DONE, utcnow()
    db.session.commit()
    return batch


def _locked_pending(batch_id: int, row_id: int) -> tuple[PoolBatch, PoolBatchRow] | None:
    # Locked, and read afresh: a second delivery of the job (RQ retried it while the first was
    # still running) waits here, then finds the row done and leaves it, and the batch's
    # progress is counted once.
    batch = db.session.get(PoolBatch, batch_id, with_for_update=True, populate_existing=True)
    row = db.session.get(PoolBatchRow, row_id, with_for_update=True, populate_existing=True)
    if row.status != BatchRowStatus.PENDING:
        db.session.rollback()
        return None
    return batch, row


def _apply_row(batch_id: int, row_id: int) -> None:
    locked = _locked_pending(batch_id, row_id)
    if locked is None:
        return
    batch, row = locked
    actor = db.session.get(User, batch.created_by_id) if batch.created_by_id else None
    # Set before the effect: the service's commit carries the row's outcome and the progress
    # with the effect itself, so neither can be lost without the other.
    row.status, batch.done = BatchRowStatus.APPLIED, batch.done + 1
    try:
        created, message = APPLIERS[batch.kind](row, actor, batch.pool_id)
    except ServiceError as refusal:
        db.session.rollback()
        _finish_row(batch_id, row_id, BatchRowStatus.ERROR, _refusal_text(refusal))
        return
    if not created:
        db.session.rollback()  # nothing of the row's effect is pending; start clean
        _finish_row(batch_id, row_id, BatchRowStatus.DUPLICATE, message)
        return
    # The outcome committed with the effect; the message follows (a job killed in between
    # leaves an applied row without its note, never a row applied twice).
    row = db.session.get(PoolBatchRow, row_id)
    row.message = message
    db.session.commit()


def _finish_row(batch_id: int, row_id: int, status: BatchRowStatus, message: str) -> None:
    locked = _locked_pending(batch_id, row_id)
    if locked is None:
        return
    batch, row = locked
    row.status, row.message = status, message
    batch.done += 1
    db.session.commit()


def _refusal_text(refusal: ServiceError) -> str:
    fields = "; ".join(
        f"{name}: {' '.join(map(str, texts))}" for name, texts in refusal.errors.items()
    )
    return f"{refusal.message} ({fields})" if fields else refusal.message


def _finished_rows(batch_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(PoolBatchRow)
        .where(PoolBatchRow.batch_id == batch_id, PoolBatchRow.status != BatchRowStatus.PENDING)
    )
