"""A bank's month-end repayment file as a batch: every row checked first, then applied by a job.

The check judges what a row says on its own (a loan number of this bank in this pool, an amount
in fen above zero, a day that has come) and refuses a row repeated in the file; rows refused
stay in the batch with their row number, column and message, for the result file. The job
applies the other rows one by one through `repayments.record_repayment`, the same function
one repayment reported through the API goes through, so the loan's state and outstanding
principal are judged there, when the row is applied.
"""

import hashlib
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from torchfin.extensions import db
from torchfin.models import PoolBatch, PoolBatchRow, PoolLoan, PoolRepayment, RiskPool, User
from torchfin.models.enums import BatchRowStatus, PoolBatchKind
from torchfin.services.finance import repayments
from torchfin.services.finance.pool_batches import new_batch, save_and_enqueue
from torchfin.services.finance.pools import require_bank
from torchfin.services.finance.repayment_file import (
    AMOUNT,
    LOAN_NO,
    PAID_ON,
    REFERENCE,
    FileRow,
    parse_amount,
    parse_day,
    read_repayment_file,
    text_cell,
)
from torchfin.services.records import get_or_404

EARLIEST = date(2000, 1, 1)  # as MONEY_EPOCH: no pool loan on the platform is older
# Numeric(18, 2) holds less than 10^16 yuan.
LARGEST = Decimal("9999999999999999.99")
TEXT_LIMIT = 60
# Rows of the file looked up per query: set-based, and well inside every driver's bind limit.
CHUNK = 1000


def start_repayment_batch(
    user: User | None, pool_id: int, filename: str, content: bytes, dry_run: bool = False
) -> PoolBatch:
    """Check a repayment file for pool `pool_id` and, unless `dry_run`, save it and enqueue the
    job that applies its good rows.

    `user` is a bank's user (its own loans only); None is an operator at the console, for any
    bank's loans in the pool. A file that cannot be read (empty, wrong type, a column missing)
    raises `Invalid` and writes nothing; rows refused are kept in the batch as errors.
    """
    if user is not None:
        require_bank(user)
    pool = get_or_404(RiskPool, pool_id, "pool")
    parsed = read_repayment_file(filename, content)
    batch = new_batch(
        PoolBatchKind.REPAYMENTS,
        pool.id,
        user,
        filename=filename[:255],
        file_sha256=hashlib.sha256(content).hexdigest(),
    )
    batch.rows = _checked_rows(user, pool.id, parsed.headers, parsed.rows)
    if dry_run:
        return batch
    return save_and_enqueue(batch)


def apply_repayment_row(row: PoolBatchRow, actor: User | None, pool_id: int) -> tuple[bool, str]:
    """Apply one checked row; (whether it was recorded now, a message). Refusals raise."""
    outcome = repayments.record_repayment(
        actor, row.loan_id, row.amount, row.paid_on, row.reference, pool_id
    )
    repayment = outcome.repayment
    if not outcome.created:
        return False, repayments.already_recorded(repayment.id)
    left = repayments.outstanding_principal(db.session.get(PoolLoan, row.loan_id))
    return True, f"已入账，剩余本金 {left:.2f} / recorded; outstanding principal {left:.2f}"


def _checked_rows(
    user: User | None, pool_id: int, headers: dict[str, str], file_rows: list[FileRow]
) -> list[PoolBatchRow]:
    numbers = {text_cell(row.cells[LOAN_NO]) for row in file_rows}
    loans = _loans_by_number(user, numbers - {""})
    rows, first_seen = [], {}
    for file_row in file_rows:
        row, problems = _checked_row(file_row, loans, pool_id)
        if not problems:
            row.idempotency_key = repayments.repayment_key(
                pool_id, row.loan_id, row.paid_on, row.amount, row.reference
            )
            earlier = first_seen.setdefault(row.idempotency_key, row.row_no)
            if earlier != row.row_no:
                problems.append(
                    (LOAN_NO, f"与第 {earlier} 行重复 / repeats row {earlier} of the file")
                )
        if problems:
            row.status = BatchRowStatus.ERROR
            row.message = "; ".join(
                f"{headers.get(field, field)}: {text}" for field, text in problems
            )
        rows.append(row)
    _mark_recorded(rows)
    return rows


def _checked_row(
    file_row: FileRow, loans: dict[str, list[PoolLoan]], pool_id: int
) -> tuple[PoolBatchRow, list[tuple[str, str]]]:
    cells = file_row.cells
    row = PoolBatchRow(
        row_no=file_row.row_no,
        loan_no=text_cell(cells[LOAN_NO])[:TEXT_LIMIT],
        reference=text_cell(cells.get(REFERENCE))[:TEXT_LIMIT],
        status=BatchRowStatus.PENDING,
        message="",
        idempotency_key="",
    )
    problems: list[tuple[str, str]] = []
    loan_problem = _loan_problem(text_cell(cells[LOAN_NO]), loans, pool_id, row)
    if loan_problem:
        problems.append((LOAN_NO, loan_problem))
    row.amount = parse_amount(cells[AMOUNT])
    amount_problem = (
        "不是金额（如 1234.56）/ not an amount (e.g. 1234.56)"
        if row.amount is None
        else repayments.amount_refusal(row.amount)
    )
    if row.amount is not None and row.amount > LARGEST:
        amount_problem = "金额过大 / the amount is too large"
    if amount_problem:
        problems.append((AMOUNT, amount_problem))
        row.amount = None
    row.paid_on = parse_day(cells[PAID_ON])
    day_problem = _day_problem(row.paid_on)
    if day_problem:
        problems.append((PAID_ON, day_problem))
        row.paid_on = None
    if len(text_cell(cells.get(REFERENCE))) > TEXT_LIMIT:
        problems.append((REFERENCE, f"超过 {TEXT_LIMIT} 个字符 / longer than {TEXT_LIMIT}"))
    return row, problems


def _loan_problem(
    number: str, loans: dict[str, list[PoolLoan]], pool_id: int, row: PoolBatchRow
) -> str | None:
    if not number:
        return "贷款编号为空 / the loan number is blank"
    found = loans.get(number, [])
    here = [loan for loan in found if loan.pool_id == pool_id]
    if len(here) == 1:
        row.loan_id = here[0].id
        return None
    if len(here) > 1:
        return f"资金池内有 {len(here)} 笔贷款使用此编号 / {len(here)} loans of the pool share it"
    if found:
        others = ", ".join(sorted({str(loan.pool_id) for loan in found}))
        return f"贷款属于其他资金池（{others}）/ the loan belongs to another pool ({others})"
    return f"未找到贷款 {number} / no loan numbered {number}"


def _day_problem(paid_on: date | None) -> str | None:
    if paid_on is None:
        return "不是日期（如 2026-11-30）/ not a date (e.g. 2026-11-30)"
    if paid_on > date.today():
        return f"日期在未来 / {paid_on} has not come yet"
    if paid_on < EARLIEST:
        return f"日期早于 {EARLIEST} / before {EARLIEST}"
    return None


def _loans_by_number(user: User | None, numbers: set[str]) -> dict[str, list[PoolLoan]]:
    # A bank sees its own loans only: another bank's loan of the same number is unknown to it.
    found: dict[str, list[PoolLoan]] = {}
    for chunk in _chunks(sorted(numbers)):
        query = select(PoolLoan).where(PoolLoan.loan_no.in_(chunk))
        if user is not None:
            query = query.where(PoolLoan.bank_id == user.institution_id)
        for loan in db.session.scalars(query.order_by(PoolLoan.id)):
            found.setdefault(loan.loan_no, []).append(loan)
    return found


def _mark_recorded(rows: list[PoolBatchRow]) -> None:
    # Rows already recorded (the file uploaded before) show as duplicates from the start; the
    # job would find them so too, through the same key.
    pending = {row.idempotency_key: row for row in rows if row.status == BatchRowStatus.PENDING}
    for chunk in _chunks(sorted(pending)):
        recorded = db.session.execute(
            select(PoolRepayment.idempotency_key, PoolRepayment.id).where(
                PoolRepayment.idempotency_key.in_(chunk)
            )
        )
        for key, repayment_id in recorded:
            row = pending[key]
            row.status = BatchRowStatus.DUPLICATE
            row.message = repayments.already_recorded(repayment_id)


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]
