"""The double-entry ledger: booking balanced transactions, deriving balances, checking it all.

Accounts are strings naming a party and its id ("bank:3", "pool:1"); a posting's amount is
positive when money arrives on the account and negative when it leaves, so every transaction's
postings sum to zero and an account's balance is the sum of its postings.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from torchfin.models import LedgerPosting, LedgerTransaction, Payment
from torchfin.models.enums import PaymentState
from torchfin.read_snapshot import read_snapshot

ZERO = Decimal("0.00")


def account(kind: str, record_id: int) -> str:
    """The ledger account of a party: account("bank", 3) is "bank:3"."""
    return f"{kind}:{record_id}"


def book_transfer(
    session: Session, reference: str, kind: str, payer: str, payee: str, amount: Decimal
) -> LedgerTransaction:
    """Book `amount` moving from `payer` to `payee` as one balanced transaction (not committed)."""
    if amount <= 0:
        raise ValueError(f"a transfer moves a positive amount, not {amount}")
    transaction = LedgerTransaction(
        reference=reference,
        kind=kind,
        memo=f"{payer} -> {payee}",
        postings=[
            LedgerPosting(account=payer, amount=-amount),
            LedgerPosting(account=payee, amount=amount),
        ],
    )
    session.add(transaction)
    return transaction


def balance(session: Session, account_name: str, before: datetime | None = None) -> Decimal:
    """The balance of an account: the sum of its postings (booked before `before`, if given)."""
    query = select(func.coalesce(func.sum(LedgerPosting.amount), 0)).where(
        LedgerPosting.account == account_name
    )
    if before is not None:
        query = query.join(LedgerTransaction).where(LedgerTransaction.created_at < before)
    return Decimal(session.scalar(query)).quantize(ZERO)


@dataclass(frozen=True)
class LedgerProblem:
    """Something `flask ledger check` found wrong."""

    reference: str
    message: str


def check(engine: Engine) -> tuple[int, list[LedgerProblem]]:
    """Check the whole committed ledger; return how many transactions were read and what is wrong.

    Every transaction balances to zero and has two legs or more; every succeeded payment is
    booked exactly once and nothing is booked for a payment that did not succeed; no pool
    account is overdrawn. Everything is read in one snapshot, so a payment that succeeds and
    is booked while the check runs is seen either whole or not at all.
    """
    with read_snapshot(engine) as session:
        return _check(session)


def _check(session: Session) -> tuple[int, list[LedgerProblem]]:
    problems = []
    totals = session.execute(
        select(
            LedgerTransaction.reference,
            func.coalesce(func.sum(LedgerPosting.amount), 0),
            func.count(LedgerPosting.id),
        )
        .outerjoin(LedgerPosting)
        .group_by(LedgerTransaction.id, LedgerTransaction.reference)
    ).all()
    for reference, total, legs in totals:
        if Decimal(total) != 0:
            problems.append(LedgerProblem(reference, f"postings sum to {total}, not 0"))
        if legs < 2:
            problems.append(LedgerProblem(reference, f"{legs} posting(s); needs two or more"))
    booked = {reference for reference, _, _ in totals if reference.startswith("payment:")}
    succeeded = {
        f"payment:{pid}"
        for pid in session.scalars(
            select(Payment.id).where(Payment.state == PaymentState.SUCCEEDED)
        )
    }
    for reference in sorted(succeeded - booked):
        problems.append(LedgerProblem(reference, "payment succeeded but is not booked"))
    for reference in sorted(booked - succeeded):
        problems.append(LedgerProblem(reference, "booked, but the payment did not succeed"))
    pools = session.execute(
        select(LedgerPosting.account, func.sum(LedgerPosting.amount))
        .where(LedgerPosting.account.like("pool:%"))
        .group_by(LedgerPosting.account)
    ).all()
    for name, total in pools:
        if Decimal(total) < 0:
            problems.append(LedgerProblem(name, f"pool account overdrawn: {total}"))
    return len(totals), problems
