"""Pool batches as records: queueing one, who may read it, its progress and its result file.

What a batch does to its rows lives in `repayment_batches` and `claim_batches`; the job that
walks the rows, in `batch_runner`.
"""

import csv
import io
from dataclasses import dataclass

from openpyxl import Workbook
from sqlalchemy import func, select

from torchfin.extensions import db
from torchfin.models import PoolBatch, PoolBatchRow, RiskPool, User
from torchfin.models.base import utcnow
from torchfin.models.enums import BatchRowStatus, BatchStatus, PoolBatchKind
from torchfin.queues import Job, enqueue_quietly
from torchfin.services.errors import NotFound, Unavailable
from torchfin.services.finance.pools import is_sponsor
from torchfin.services.permissions import is_admin
from torchfin.services.spreadsheet_cells import append_safe_row, safe_row

RESULT_HEADER = (
    "行号 row",
    "贷款编号 loan",
    "理赔 claim",
    "金额 amount",
    "状态 status",
    "说明 message",
)
MONEY_FORMAT = "#,##0.00"


@dataclass(frozen=True)
class RowCounts:
    """How many rows of a batch stand where."""

    pending: int = 0
    applied: int = 0
    duplicate: int = 0
    error: int = 0


def new_batch(kind: PoolBatchKind, pool_id: int, user: User | None, **fields) -> PoolBatch:
    """A batch record, not yet added to the session (a dry run never adds it)."""
    return PoolBatch(
        kind=kind,
        pool_id=pool_id,
        created_by_id=user.id if user else None,
        status=BatchStatus.QUEUED,
        filename=fields.get("filename", ""),
        file_sha256=fields.get("file_sha256", ""),
        total=0,
        done=0,
    )


def save_and_enqueue(batch: PoolBatch) -> PoolBatch:
    """Commit a checked batch with its rows, then enqueue its job (jobs carry the id only).

    Rows refused at the check count as done from the start; a batch with nothing left to apply
    is finished without a job.
    """
    batch.total = len(batch.rows)
    batch.done = sum(row.status != BatchRowStatus.PENDING for row in batch.rows)
    db.session.add(batch)
    db.session.commit()
    if batch.done == batch.total:
        batch.status = BatchStatus.DONE
        batch.finished_at = utcnow()
        db.session.commit()
        return batch
    job_id = enqueue_quietly(Job.RUN_POOL_BATCH, batch.id)
    if job_id is None:
        batch.status, batch.error = BatchStatus.FAILED, "the job queue was unreachable"
        db.session.commit()
        raise Unavailable(
            "任务队列不可用，请稍后重试 / the job queue is unreachable; try again shortly"
        )
    batch.job_id = job_id
    db.session.commit()
    return batch


def may_read(user: User, batch: PoolBatch) -> bool:
    """Admins, the pool's sponsor, and the users of the institution that asked for the batch."""
    if is_admin(user) or is_sponsor(user, db.session.get(RiskPool, batch.pool_id)):
        return True
    if batch.created_by_id is None:
        return False
    creator = db.session.get(User, batch.created_by_id)
    return creator.id == user.id or (
        creator.institution_id is not None and creator.institution_id == user.institution_id
    )


def get_batch(user: User, batch_id: int) -> PoolBatch:
    """A batch `user` may read (else 404: batches name banks' loans)."""
    batch = db.session.get(PoolBatch, batch_id)
    if batch is None or not may_read(user, batch):
        raise NotFound(f"批次 {batch_id} 不存在 / pool batch {batch_id} does not exist")
    return batch


def row_counts(batch: PoolBatch) -> RowCounts:
    """How many rows stand where: counted in SQL for a saved batch, in memory for a dry run."""
    if batch.id is None:
        statuses = [row.status for row in batch.rows]
        counts = {status: statuses.count(status) for status in BatchRowStatus}
    else:
        counts = dict(
            db.session.execute(
                select(PoolBatchRow.status, func.count())
                .where(PoolBatchRow.batch_id == batch.id)
                .group_by(PoolBatchRow.status)
            ).all()
        )
    return RowCounts(**{status.value: counts.get(status, 0) for status in BatchRowStatus})


def error_rows(batch: PoolBatch, limit: int = 200) -> list[PoolBatchRow]:
    """The batch's rows in error, by row number (the first `limit`)."""
    if batch.id is None:
        return [row for row in batch.rows if row.status == BatchRowStatus.ERROR][:limit]
    return list(
        db.session.scalars(
            select(PoolBatchRow)
            .where(PoolBatchRow.batch_id == batch.id, PoolBatchRow.status == BatchRowStatus.ERROR)
            .order_by(PoolBatchRow.row_no)
            .limit(limit)
        )
    )


def batch_rows(batch: PoolBatch):
    """A query of the batch's rows by row number (for pages of them)."""
    return (
        select(PoolBatchRow).where(PoolBatchRow.batch_id == batch.id).order_by(PoolBatchRow.row_no)
    )


def _result_values(row: PoolBatchRow) -> list[object]:
    return [row.row_no, row.loan_no, row.claim_id or "", row.amount, row.status.value, row.message]


def result_csv(batch: PoolBatch) -> bytes:
    """The per-row result file as CSV (UTF-8 with a BOM, so Excel reads the Chinese)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(RESULT_HEADER)
    for row in db.session.scalars(batch_rows(batch)):
        values = _result_values(row)
        values[3] = "" if row.amount is None else f"{row.amount:.2f}"
        writer.writerow(safe_row(values))
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def result_xlsx(batch: PoolBatch) -> bytes:
    """The per-row result file as an Excel workbook, amounts as numbers shown to the fen."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "结果 results"
    append_safe_row(sheet, RESULT_HEADER)
    for row in db.session.scalars(batch_rows(batch)):
        cells = append_safe_row(sheet, _result_values(row))
        cells[3].number_format = MONEY_FORMAT
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def summary(batch: PoolBatch, dry_run: bool = False) -> dict:
    """A batch as the API and the CLI show it: progress, counts and the rows refused."""
    counts = row_counts(batch)
    return {
        "id": batch.id,
        "pool_id": batch.pool_id,
        "kind": batch.kind,
        "status": batch.status,
        "dry_run": dry_run,
        "filename": batch.filename,
        "file_sha256": batch.file_sha256,
        "total": batch.total if batch.id else len(batch.rows),
        "done": batch.done if batch.id else 0,
        "counts": vars(counts),
        "errors": error_rows(batch),
        "error": batch.error,
        "created_at": batch.created_at,
        "finished_at": batch.finished_at,
    }
