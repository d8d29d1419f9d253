"""Repayments of pool loans: principal a bank reports repaid, booked once in the ledger.

A repayment is recorded by `record_repayment` whether it comes from one API call or from a row
of a month-end file (`repayment_batches`), so the rules live here once:
- only the loan's bank reports it (an operator at the console acts for the bank);
- the loan is active, the amount is positive, in fen, and at most the outstanding principal;
- it is paid on or after the day the loan was registered;
- it is booked as a ledger transaction from the borrower's account to the loan's account
  (`loan:<id>` holds the principal repaid), with an audit event on the pool's chain;
- the repayment that brings the outstanding principal to zero closes the loan as repaid.

Each repayment carries an idempotency key worked out from its pool, loan, day, amount and the
bank's reference (`repayment_key`): reported again, it is found and nothing changes.
"""

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from torchfin.extensions import db
from torchfin.models import PoolLoan, PoolRepayment, User
from torchfin.models.enums import PoolLoanState
from torchfin.services.errors import Conflict, Invalid
from torchfin.services.finance import audit, ledger
from torchfin.services.finance.ledger import FEN
from torchfin.services.finance.pools import close_repaid, own_loan, pool_subject, require_in_pool
from torchfin.services.finance.subjects import subject_of
from torchfin.services.records import get_or_404

# Ledger names of a repayment: the transaction's kind and reference, the accounts it moves.
REPAYMENT = "repayment"
LOAN_REPAYMENT = "loan_repayment"
BORROWER, LOAN = "borrower", "loan"


@dataclass(frozen=True)
class RepaymentOutcome:
    """A repayment and whether this call recorded it (False: it was already recorded)."""

    repayment: PoolRepayment
    created: bool


def repayment_key(
    pool_id: int, loan_id: int, paid_on: date, amount: Decimal, reference: str = ""
) -> str:
    """The idempotency key of a repayment: a SHA-256 of what identifies it.

    The amount is written to the fen and the reference stripped, so "1000" and "1000.00" in two
    uploads of one file are the same repayment. Two real repayments of one loan, one day and one
    amount are told apart by the bank's reference (流水号).
    """
    content = "|".join(
        [str(pool_id), str(loan_id), paid_on.isoformat(), f"{amount:.2f}", reference.strip()]
    )
    return hashlib.sha256(content.encode()).hexdigest()


def repaid_principal(loan_id: int) -> Decimal:
    """What has been repaid on a loan so far (the balance of its ledger account)."""
    return ledger.balance(db.session, ledger.account(LOAN, loan_id))


def outstanding_principal(loan: PoolLoan) -> Decimal:
    """The principal of a loan not yet repaid."""
    return (loan.principal - repaid_principal(loan.id)).quantize(FEN)


def repayments_of(loan_id: int) -> list[PoolRepayment]:
    """The repayments of a loan, oldest first."""
    query = select(PoolRepayment).where(PoolRepayment.loan_id == loan_id)
    return list(db.session.scalars(query.order_by(PoolRepayment.id)))


def find_repayment(key: str) -> PoolRepayment | None:
    """The repayment recorded under `key`, if any."""
    return db.session.scalar(select(PoolRepayment).where(PoolRepayment.idempotency_key == key))


def already_recorded(repayment_id: int) -> str:
    """What a row or a call repeating a recorded repayment is told (Chinese / English)."""
    return f"已入账（还款 {repayment_id}）/ already recorded as repayment {repayment_id}"


def amount_refusal(amount: Decimal) -> str | None:
    """Why `amount` cannot be a repayment (Chinese / English), or None when it can."""
    if not amount.is_finite() or amount <= 0:
        return "还款金额须大于零 / The amount must be above zero."
    if amount != amount.quantize(FEN):
        return "还款金额最多两位小数 / The amount has at most two decimals (fen)."
    return None


def record_repayment(
    user: User | None,
    loan_id: int,
    amount: Decimal,
    paid_on: date,
    reference: str = "",
    pool_id: int | None = None,
) -> RepaymentOutcome:
    """Record principal repaid on a pool loan, once, and commit.

    `user` is the loan's bank; None is an operator at the console (`flask pool repayments`),
    who acts for the loan's bank. `pool_id`, when the caller names one, must be the loan's pool
    (else 404). A repayment recorded before under the same key is returned unchanged.
    """
    if user is None:
        loan = get_or_404(PoolLoan, loan_id, "pool loan", lock=True)
    else:
        loan = own_loan(user, loan_id, lock=True)
    require_in_pool(loan, pool_id, "pool loan")
    key = repayment_key(loan.pool_id, loan.id, paid_on, amount, reference)
    # Checked after the lock on the loan: a concurrent report of the same repayment has
    # committed by now, and is found instead of refused by the unique key.
    existing = find_repayment(key)
    if existing is not None:
        return RepaymentOutcome(existing, created=False)
    _check_repayment(loan, amount, paid_on)
    repayment = PoolRepayment(
        pool_id=loan.pool_id,
        loan_id=loan.id,
        amount=amount,
        paid_on=paid_on,
        reference=reference.strip(),
        idempotency_key=key,
        recorded_by_id=user.id if user else None,
    )
    db.session.add(repayment)
    db.session.flush()
    left = outstanding_principal(loan) - amount
    ledger.book_transfer(
        db.session,
        subject_of(REPAYMENT, repayment.id),
        LOAN_REPAYMENT,
        ledger.account(BORROWER, loan.enterprise_id),
        ledger.account(LOAN, loan.id),
        amount,
    )
    audit.record(
        db.session,
        pool_subject(loan.pool_id),
        REPAYMENT,
        actor=user,
        data={
            "loan_id": loan.id,
            "loan_no": loan.loan_no,
            "repayment_id": repayment.id,
            "amount": f"{amount:.2f}",
            "paid_on": paid_on.isoformat(),
            "outstanding": f"{left:.2f}",
            "reference": repayment.reference,
        },
    )
    if left == 0:
        close_repaid(loan, paid_on, user)
    try:
        db.session.commit()
    except IntegrityError:
        # The same repayment committed by another process between our check and commit
        # (SQLite takes no row lock): it stands, ours is dropped.
        db.session.rollback()
        existing = find_repayment(key)
        if existing is None:
            raise
        return RepaymentOutcome(existing, created=False)
    return RepaymentOutcome(repayment, created=True)


def _check_repayment(loan: PoolLoan, amount: Decimal, paid_on: date) -> None:
    if loan.state != PoolLoanState.ACTIVE:
        raise Conflict(
            f"贷款 {loan.loan_no} 状态为 {loan.state}，不能还款 / "
            f"pool loan {loan.id} is {loan.state}; only an active loan is repaid"
        )
    refusal = amount_refusal(amount)
    if refusal:
        raise Invalid("repayment refused", {"amount": [refusal]})
    if paid_on < loan.registered_on:
        raise Invalid(
            "repayment refused",
            {
                "paid_on": [
                    f"还款日期早于贷款登记日 {loan.registered_on} / "
                    f"Before the loan was registered on {loan.registered_on}."
                ]
            },
        )
    outstanding = outstanding_principal(loan)
    if amount > outstanding:
        raise Invalid(
            "repayment refused",
            {
                "amount": [
                    f"超过未还本金 {outstanding:.2f} / Above the outstanding principal "
                    f"of {outstanding:.2f}."
                ]
            },
        )
