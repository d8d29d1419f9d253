"""A pool's opening balance: what a pool moved onto the platform held before its first booking here.

Its sponsor (or a platform admin) records it once, dated to the day the sponsor's books give:
a balanced ledger transaction from the pool's opening-equity account (`opening_equity:<pool
id>`, the other side of money the platform did not see arrive) to the pool's account, and an
audit event on the pool saying who recorded it and when. Dated D, it is what the pool held as
D began, so it counts (`LedgerTransaction.value_at`) from the last instant before D: a
statement whose period starts on D opens with it; one across that instant (ending on D - 1 or
later) brings it forward among its movements and closes with it.
Rules:
- one per pool: its ledger reference is unique per pool; the same figures again are answered as
  the first time and book nothing, other figures are refused (422 naming the fields);
- dated on or before the pool's first booking and not after today (UTC, as statements count
  days), so that statements of the days before that booking start from it and nothing booked
  later counts before it; `flask ledger check` reports one dated after a booking;
- a positive amount of yuan (the schema's floor).
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from torchfin.extensions import db
from torchfin.models import LedgerPosting, LedgerTransaction, RiskPool, User
from torchfin.models.base import utcnow
from torchfin.services.errors import Forbidden, Invalid
from torchfin.services.finance import audit, ledger
from torchfin.services.finance.ledger import OPENING_BALANCE
from torchfin.services.finance.pools import is_sponsor, pool_subject
from torchfin.services.permissions import is_admin
from torchfin.services.records import get_or_404


@dataclass(frozen=True)
class OpeningBalance:
    """A pool's recorded opening balance."""

    pool_id: int
    dated_on: date
    amount: Decimal
    recorded_at: datetime


def _reference(pool_id: int) -> str:
    return f"{OPENING_BALANCE}:{pool_subject(pool_id)}"


def opening_balance(session: Session, pool_id: int) -> OpeningBalance | None:
    """The pool's opening balance, if one was recorded."""
    found = session.execute(
        select(LedgerTransaction.value_at, LedgerTransaction.created_at, LedgerPosting.amount)
        .join(LedgerPosting)
        .where(
            LedgerTransaction.reference == _reference(pool_id),
            LedgerPosting.account == pool_subject(pool_id),
        )
    ).first()
    if found is None:
        return None
    value_at, created_at, amount = found
    dated_on = ledger.opening_day(value_at)
    return OpeningBalance(pool_id, dated_on, Decimal(amount).quantize(ledger.FEN), created_at)


def first_booking_on(session: Session, pool_id: int) -> date | None:
    """The day of the first booking on the pool's account other than its opening balance."""
    first = session.scalar(
        select(func.min(LedgerTransaction.value_at))
        .join(LedgerPosting)
        .where(
            LedgerPosting.account == pool_subject(pool_id),
            LedgerTransaction.kind != OPENING_BALANCE,
        )
    )
    return None if first is None else first.date()


def _refuse_other_figures(existing: OpeningBalance, data: dict) -> None:
    said = f"The pool already has an opening balance of {existing.amount:.2f} dated "
    said += f"{existing.dated_on}; it is recorded once."
    errors = {}
    if data["dated_on"] != existing.dated_on:
        errors["dated_on"] = [said]
    if data["amount"] != existing.amount:
        errors["amount"] = [said]
    raise Invalid("opening balance already recorded", errors)


def record_opening_balance(user: User, pool_id: int, data: dict) -> OpeningBalance:
    """Record the pool's opening balance (`dated_on`, `amount`): its sponsor or an admin, once.

    The same figures again change nothing and answer as the first time did.
    """
    # Locked: two requests for one pool take turns, the second finds the first's.
    pool = get_or_404(RiskPool, pool_id, "pool", lock=True)
    if not (is_admin(user) or is_sponsor(user, pool)):
        raise Forbidden("only the pool's sponsor and administrators record its opening balance")
    existing = opening_balance(db.session, pool.id)
    if existing is not None:
        if (existing.dated_on, existing.amount) == (data["dated_on"], data["amount"]):
            return existing
        _refuse_other_figures(existing, data)
    # Statements count UTC days: dated after the UTC today, the balance would count from after
    # bookings made meanwhile (the schema's window goes by the server's own day).
    today = utcnow().date()
    if data["dated_on"] > today:
        raise Invalid("opening balance", {"dated_on": [f"Cannot be after {today} (UTC)."]})
    first = first_booking_on(db.session, pool.id)
    if first is not None and data["dated_on"] > first:
        raise Invalid(
            "opening balance",
            {"dated_on": [f"Must be on or before the pool's first booking, on {first}."]},
        )
    subject = pool_subject(pool.id)
    ledger.book_transfer(
        db.session,
        _reference(pool.id),
        OPENING_BALANCE,
        ledger.account("opening_equity", pool.id),
        subject,
        data["amount"],
        value_at=ledger.opening_value_at(data["dated_on"]),
    )
    figures = {"dated_on": data["dated_on"].isoformat(), "amount": f"{data['amount']:.2f}"}
    audit.record(db.session, subject, "record_opening_balance", actor=user, data=figures)
    db.session.commit()
    return opening_balance(db.session, pool.id)
