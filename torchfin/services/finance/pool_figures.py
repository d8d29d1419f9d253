"""Figures of risk-compensation pools: a period's statement and the pool's dashboard.

Read models only: everything is derived from the ledger, the loans and the claims that the
commands in `pools` (and `pool_opening`) write.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from torchfin.extensions import db
from torchfin.models import LedgerPosting, LedgerTransaction, PoolClaim, PoolLoan, RiskPool
from torchfin.models.enums import PaymentPurpose, PoolLoanState
from torchfin.read_snapshot import read_snapshot
from torchfin.services.errors import Invalid
from torchfin.services.finance import ledger
from torchfin.services.finance.ledger import FEN, OPENING_BALANCE, day_start, to_fen
from torchfin.services.finance.pool_opening import opening_balance
from torchfin.services.finance.pools import bad_loan_ratio, pool_subject, reserved
from torchfin.services.records import get_or_404


def _flows(session: Session, pool_id: int, start: datetime, end: datetime) -> dict[str, Decimal]:
    rows = session.execute(
        select(LedgerTransaction.kind, func.sum(LedgerPosting.amount))
        .join(LedgerPosting)
        .where(
            LedgerPosting.account == pool_subject(pool_id),
            LedgerTransaction.value_at >= start,
            LedgerTransaction.value_at < end,
        )
        .group_by(LedgerTransaction.kind)
    ).all()
    return {kind: Decimal(total).quantize(FEN) for kind, total in rows}


def statement(pool_id: int, start: date, end: date) -> dict:
    """The pool's statement for the days `start` to `end` inclusive (UTC days).

    Money counts from its `value_at`: a recorded opening balance from just before the day it is
    dated, so a period from that day on opens with it and a period across it brings it forward.
    Its figures are read in one snapshot: a payment booked while they are read would otherwise
    sit in the flows but not in the closing balance, and the statement would not reconcile.
    """
    pool = get_or_404(RiskPool, pool_id, "pool")
    if end < start:
        raise Invalid("period", {"end": ["Must not be before start."]})
    with read_snapshot(db.engine) as session:
        return _statement(session, pool.id, start, end)


def _statement(session: Session, pool_id: int, start: date, end: date) -> dict:
    since, until = day_start(start), day_start(end + timedelta(days=1))
    account = pool_subject(pool_id)
    opening = ledger.balance(session, account, before=since)
    closing = ledger.balance(session, account, before=until)
    flows = _flows(session, pool_id, since, until)
    loans = session.execute(
        select(func.count(PoolLoan.id), func.coalesce(func.sum(PoolLoan.principal), 0)).where(
            PoolLoan.pool_id == pool_id, PoolLoan.registered_on.between(start, end)
        )
    ).one()
    claims = session.execute(
        select(func.count(PoolClaim.id), func.coalesce(func.sum(PoolClaim.net_loss), 0)).where(
            PoolClaim.pool_id == pool_id, PoolClaim.filed_on.between(start, end)
        )
    ).one()
    zero = Decimal("0.00")
    brought_forward = flows.get(OPENING_BALANCE, zero)
    deposits = flows.get(PaymentPurpose.POOL_DEPOSIT, zero)
    payouts = -flows.get(PaymentPurpose.POOL_PAYOUT, zero)
    recoveries = flows.get(PaymentPurpose.POOL_RECOVERY, zero)
    return {
        "pool_id": pool_id,
        "start": start,
        "end": end,
        "opening_balance": opening,
        "brought_forward": brought_forward,
        "deposits": deposits,
        "registrations": {"count": loans[0], "principal": Decimal(loans[1])},
        "claims": {"count": claims[0], "net_loss": Decimal(claims[1])},
        "payouts": payouts,
        "recoveries": recoveries,
        "closing_balance": closing,
        "reconciles": opening + brought_forward + deposits - payouts + recoveries == closing,
        "bad_loan_ratio": bad_loan_ratio(session, pool_id, end),
    }


def month_ends(last: date, months: int) -> list[date]:
    """The last day of each of the `months` months up to and including `last`'s month."""
    ends, year, month = [], last.year, last.month
    for _ in range(months):
        following = date(year + month // 12, month % 12 + 1, 1)
        ends.append(following - timedelta(days=1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return ends[::-1]


def dashboard(pool_id: int, today: date, months: int = 12) -> dict:
    """Balance, opening balance, exposure, claims by state and the monthly history of ratio
    and balance."""
    pool = get_or_404(RiskPool, pool_id, "pool")
    account = pool_subject(pool.id)
    balance = ledger.balance(db.session, account)
    owed = reserved(db.session, pool.id)
    active = db.session.scalars(
        select(PoolLoan.principal).where(
            PoolLoan.pool_id == pool.id, PoolLoan.state == PoolLoanState.ACTIVE
        )
    ).all()
    exposure = sum((min(to_fen(pool.coverage * p), pool.per_loan_cap) for p in active), owed)
    claims = db.session.execute(
        select(PoolClaim.state, func.count(), func.coalesce(func.sum(PoolClaim.payable), 0))
        .where(PoolClaim.pool_id == pool.id)
        .group_by(PoolClaim.state)
    ).all()
    history = [
        {
            "month": end.strftime("%Y-%m"),
            "bad_loan_ratio": bad_loan_ratio(db.session, pool.id, min(end, today)),
            "balance": ledger.balance(
                db.session, account, before=day_start(end + timedelta(days=1))
            ),
        }
        for end in month_ends(today, months)
    ]
    return {
        "pool": pool,
        "balance": balance,
        "opening_balance": opening_balance(db.session, pool.id),
        "reserved": owed,
        "available": balance - owed,
        "exposure": exposure,
        "active_loans": len(active),
        "bad_loan_ratio": bad_loan_ratio(db.session, pool.id, today),
        "claims": [
            {"state": state, "count": n, "payable": Decimal(total).quantize(FEN)}
            for state, n, total in claims
        ],
        "history": history,
    }
