"""The double-entry ledger: booking balanced transactions, deriving balances, checking it all.

Accounts are named like subjects, a party and its id ("bank:3", "pool:1"); a posting's amount is
positive when money arrives on the account and negative when it leaves, so every transaction's
postings sum to zero and an account's balance is the sum of its postings. Balances at a time go
by each transaction's `value_at`: when it was booked, but for a pool's opening balance, which
counts from just before the day it is dated (`pool_opening`).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Engine, and_, func, or_, select
from sqlalchemy.orm import Session

from torchfin.models import (
    LedgerPosting,
    LedgerTransaction,
    Payment,
    PolicyApplication,
    PoolClaim,
)
from torchfin.models.enums import ApplicationState, ClaimState, PaymentPurpose, PaymentState
from torchfin.read_snapshot import read_snapshot
from torchfin.services.finance.subjects import (
    CLAIM,
    POLICY_APPLICATION,
    POOL,
    subject_expression,
    subject_of,
    subject_pattern,
)

ZERO = Decimal("0.00")
FEN = Decimal("0.01")
# The kind of a pool's opening balance (`pool_opening`), booked from its opening-equity account.
OPENING_BALANCE = "opening_balance"
# How far before its day an opening balance counts: the finest step the timestamps keep.
_JUST_BEFORE = timedelta(microseconds=1)


def account(kind: str, record_id: int) -> str:
    """The ledger account of a party: account("bank", 3) is "bank:3"."""
    return subject_of(kind, record_id)


def to_fen(amount: Decimal) -> Decimal:
    """`amount` rounded half up to the fen (0.01 yuan), as fees, payables and shares are."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def day_start(day: date) -> datetime:
    """The first moment of `day` (UTC days, as statements count them)."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def opening_value_at(day: date) -> datetime:
    """When an opening balance dated `day` counts from: the last instant before the day, as it
    is what the pool held when the day began (the closing balance of the day before)."""
    return day_start(day) - _JUST_BEFORE


def opening_day(value_at: datetime) -> date:
    """The day an opening balance counting from `value_at` is dated."""
    return (value_at + _JUST_BEFORE).date()


def book_transfer(
    session: Session,
    reference: str,
    kind: str,
    payer: str,
    payee: str,
    amount: Decimal,
    value_at: datetime | None = None,
) -> LedgerTransaction:
    """Book `amount` moving from `payer` to `payee` as one balanced transaction (not committed).

    The money counts from `value_at`, by default from now.
    """
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
    if value_at is not None:
        transaction.value_at = value_at
    session.add(transaction)
    return transaction


def balance(session: Session, account_name: str, before: datetime | None = None) -> Decimal:
    """The balance of an account: the sum of its postings (counting before `before`, if given)."""
    query = select(func.coalesce(func.sum(LedgerPosting.amount), 0)).where(
        LedgerPosting.account == account_name
    )
    if before is not None:
        query = query.join(LedgerTransaction).where(LedgerTransaction.value_at < before)
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
    account is overdrawn. The books also keep the workflows' promises: a guarantee case pays
    its fee, its disbursement and its compensation once at most; a claim is paid out once and
    never above its approved payable; what a pool owes on approved, unpaid claims never exceeds
    its balance; a pool's opening balance counts from before anything else booked on it; a
    policy application is paid exactly when its payout is booked.
    Everything is read in one snapshot, so a payment that succeeds and is booked while the
    check runs is seen either whole or not at all.
    """
    with read_snapshot(engine) as session:
        return _check(session)


def _check(session: Session) -> tuple[int, list[LedgerProblem]]:
    # Sums, counts and matches are made by the database: only what is wrong comes back, so a
    # million postings cost one pass of aggregates there and nothing per row here.
    transactions = session.scalar(select(func.count()).select_from(LedgerTransaction))
    total = func.coalesce(func.sum(LedgerPosting.amount), 0)
    legs = func.count(LedgerPosting.id)
    unbalanced = session.execute(
        select(LedgerTransaction.reference, total, legs)
        .outerjoin(LedgerPosting)
        .group_by(LedgerTransaction.id, LedgerTransaction.reference)
        # Rounded to the fen as amounts are kept: SQLite sums them in floating point, and a
        # balanced transaction would come back to be found fine.
        .having(or_(func.round(total, 2) != 0, legs < 2))
        .order_by(LedgerTransaction.id)
    ).all()
    problems = []
    for reference, total_amount, leg_count in unbalanced:
        if Decimal(total_amount) != 0:
            problems.append(LedgerProblem(reference, f"postings sum to {total_amount}, not 0"))
        if leg_count < 2:
            problems.append(LedgerProblem(reference, f"{leg_count} posting(s); needs two or more"))
    problems += _payment_bookings(session)
    pools = session.execute(
        select(LedgerPosting.account, func.sum(LedgerPosting.amount))
        .where(LedgerPosting.account.like(subject_pattern(POOL)))
        .group_by(LedgerPosting.account)
    ).all()
    for name, total in pools:
        if Decimal(total) < 0:
            problems.append(LedgerProblem(name, f"pool account overdrawn: {total}"))
    problems += _workflow_problems(session, {name: Decimal(total) for name, total in pools})
    problems += _late_openings(session)
    problems += _policy_payouts(session)
    return transactions, problems


# A succeeded payment is booked under the reference "payment:<id>" (`payments.execution`).
_PAYMENT = "payment"


def _payment_bookings(session: Session) -> list[LedgerProblem]:
    booking = LedgerTransaction.reference == subject_expression(_PAYMENT, Payment.id)
    succeeded = Payment.state == PaymentState.SUCCEEDED
    prefix = f"{_PAYMENT}:"
    unbooked = session.scalars(
        select(Payment.id)
        .outerjoin(LedgerTransaction, booking)
        .where(succeeded, LedgerTransaction.id.is_(None))
    )
    unpaid = session.scalars(
        select(LedgerTransaction.reference)
        .outerjoin(Payment, and_(booking, succeeded))
        # Not LIKE: SQLite's ignores case.
        .where(
            func.substr(LedgerTransaction.reference, 1, len(prefix)) == prefix,
            Payment.id.is_(None),
        )
    )
    return [
        LedgerProblem(reference, "payment succeeded but is not booked")
        for reference in sorted(subject_of(_PAYMENT, pid) for pid in unbooked)
    ] + [
        LedgerProblem(reference, "booked, but the payment did not succeed")
        for reference in sorted(unpaid)
    ]


def _late_openings(session: Session) -> list[LedgerProblem]:
    # A pool's opening balance stands for what it held before anything was booked on it here;
    # dated after a booking, the statements of the days between would leave that booking out.
    openings = session.execute(
        select(LedgerTransaction.reference, LedgerTransaction.value_at, LedgerPosting.account)
        .join(LedgerPosting)
        .where(
            LedgerTransaction.kind == OPENING_BALANCE,
            LedgerPosting.account.like(subject_pattern(POOL)),
        )
    ).all()
    problems = []
    for reference, dated, pool in openings:
        first = session.scalar(
            select(func.min(LedgerTransaction.value_at))
            .join(LedgerPosting)
            .where(LedgerPosting.account == pool, LedgerTransaction.kind != OPENING_BALANCE)
        )
        if first is not None and first < dated:
            problems.append(
                LedgerProblem(
                    reference,
                    f"opening balance of {pool} dated {opening_day(dated)}, after its first "
                    f"booking at {first:%Y-%m-%d %H:%M:%S}",
                )
            )
    return problems


# Payments a guarantee case or a claim receives at most once, whatever requests came in.
ONCE_PER_SUBJECT = (
    PaymentPurpose.GUARANTEE_FEE,
    PaymentPurpose.DISBURSEMENT,
    PaymentPurpose.COMPENSATION,
    PaymentPurpose.POOL_PAYOUT,
    PaymentPurpose.POLICY_PAYOUT,
)


def _workflow_problems(session: Session, pool_balances: dict[str, Decimal]) -> list[LedgerProblem]:
    problems = []
    repeated = session.execute(
        select(Payment.subject, Payment.purpose, func.count(Payment.id))
        .where(Payment.state == PaymentState.SUCCEEDED, Payment.purpose.in_(ONCE_PER_SUBJECT))
        .group_by(Payment.subject, Payment.purpose)
        .having(func.count(Payment.id) > 1)
    ).all()
    for subject, purpose, count in repeated:
        problems.append(LedgerProblem(subject, f"{count} {purpose} payments; one at most"))
    paid_out = (
        select(Payment.subject, func.sum(Payment.amount).label("amount"))
        .where(
            Payment.state == PaymentState.SUCCEEDED,
            Payment.purpose == PaymentPurpose.POOL_PAYOUT,
        )
        .group_by(Payment.subject)
        .subquery()
    )
    owed: dict[str, Decimal] = {}
    for claim, paid_amount in session.execute(
        select(PoolClaim, paid_out.c.amount)
        .outerjoin(paid_out, paid_out.c.subject == subject_expression(CLAIM, PoolClaim.id))
        .order_by(PoolClaim.id)
    ):
        subject = subject_of(CLAIM, claim.id)
        paid = Decimal(paid_amount or 0)
        if paid > claim.payable:
            problems.append(
                LedgerProblem(subject, f"paid out {paid:.2f}, above its payable {claim.payable}")
            )
        if claim.state == ClaimState.APPROVED:
            pool = account(POOL, claim.pool_id)
            owed[pool] = owed.get(pool, ZERO) + claim.payable
    for pool, total in owed.items():
        if total > pool_balances.get(pool, ZERO):
            problems.append(
                LedgerProblem(
                    pool,
                    f"approved claims owe {total:.2f}, above the balance "
                    f"{pool_balances.get(pool, ZERO):.2f}",
                )
            )
    return problems


def _policy_payouts(session: Session) -> list[LedgerProblem]:
    # Paid applications and booked payouts match one to one: a paid application names the
    # transaction that paid it ("payment:<id>", or "reward:<id>" for a reward paid before
    # payouts went through the gateway), and a succeeded payout belongs to a paid application.
    paid = PolicyApplication.state == ApplicationState.PAID
    unbooked = session.scalars(
        select(PolicyApplication.id)
        .outerjoin(
            LedgerTransaction, LedgerTransaction.reference == PolicyApplication.ledger_reference
        )
        .where(paid, LedgerTransaction.id.is_(None))
        .order_by(PolicyApplication.id)
    )
    unsettled = session.scalars(
        select(Payment.subject)
        .outerjoin(
            PolicyApplication,
            and_(
                Payment.subject == subject_expression(POLICY_APPLICATION, PolicyApplication.id),
                paid,
            ),
        )
        .where(
            Payment.purpose == PaymentPurpose.POLICY_PAYOUT,
            Payment.state == PaymentState.SUCCEEDED,
            PolicyApplication.id.is_(None),
        )
        .order_by(Payment.id)
    )
    return [
        LedgerProblem(subject_of(POLICY_APPLICATION, aid), "paid, but no payout is booked")
        for aid in unbooked
    ] + [
        LedgerProblem(subject, "payout booked, but the application is not paid")
        for subject in unsettled
    ]
