"""Carrying out a payment in a worker: gateway call, then booking and its effect in one commit.

The effect on the payment's workflow comes in as `settle` (the job passes the settlement
dispatch), so the payments know no workflow and nothing here imports one.

Safe to run any number of times and to be killed at any point: the gateway replays a key it has
seen, the payment row and the unique ledger reference let only one run book it, and a run that
finds the payment settled does nothing.
"""

from collections.abc import Callable

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from torchfin.extensions import db
from torchfin.models import Payment
from torchfin.models.base import utcnow
from torchfin.models.enums import PaymentState
from torchfin.services.finance import audit, ledger
from torchfin.services.finance.payments.gateway import (
    PaymentDeclined,
    PaymentGateway,
    PaymentRequest,
)
from torchfin.services.finance.payments.requests import enqueue_payment
from torchfin.services.finance.payments.sandbox import sandbox_gateway

# Applies a succeeded payment to its workflow in the caller's transaction (not committed).
Settle = Callable[[Session, Payment], None]
GATEWAYS = {"sandbox": sandbox_gateway}


def payment_gateway() -> PaymentGateway:
    """The gateway configured for the app (PAYMENT_GATEWAY)."""
    return GATEWAYS[current_app.config["PAYMENT_GATEWAY"]]()


def execute_payment(payment_id: int, settle: Settle) -> PaymentState | None:
    """Carry out one payment and `settle` it once booked; return its state (None: no payment)."""
    payment = db.session.get(Payment, payment_id)
    if payment is None or payment.state != PaymentState.PENDING:
        return payment.state if payment else None
    key = payment.idempotency_key
    request = PaymentRequest(payment.purpose, payment.amount, payment.payer, payment.payee)
    db.session.rollback()  # hold no database lock while the processor works
    gateway = payment_gateway()
    try:
        result = gateway.pay(key, request)
    except PaymentDeclined as exc:
        return _record_decline(payment_id, str(exc))
    # Timeouts and other errors propagate: RQ retries the job, and the key makes that safe.
    payment = db.session.get(Payment, payment_id, with_for_update=True, populate_existing=True)
    if payment.state != PaymentState.PENDING:  # another run got here first
        db.session.rollback()
        return payment.state
    payment.state = PaymentState.SUCCEEDED
    payment.gateway_reference = result.reference
    payment.completed_at = utcnow()
    ledger.book_transfer(
        db.session,
        f"payment:{payment.id}",
        payment.purpose,
        payment.payer,
        payment.payee,
        payment.amount,
    )
    settle(db.session, payment)
    db.session.commit()
    gateway.confirm(key)
    return PaymentState.SUCCEEDED


def _record_decline(payment_id: int, reason: str) -> PaymentState:
    payment = db.session.get(Payment, payment_id, with_for_update=True, populate_existing=True)
    if payment.state == PaymentState.PENDING:
        payment.state = PaymentState.FAILED
        payment.failure = reason[:200]
        payment.completed_at = utcnow()
        audit.record(
            db.session,
            payment.subject,
            f"{payment.purpose}_declined",
            data={"payment_id": payment.id, "amount": f"{payment.amount:.2f}", "reason": reason},
        )
    db.session.commit()
    return payment.state


def retry_pending() -> int:
    """Enqueue a job for every pending payment (after an outage, or jobs lost with Redis)."""
    ids = list(db.session.scalars(select(Payment.id).where(Payment.state == PaymentState.PENDING)))
    db.session.rollback()
    for payment_id in ids:
        enqueue_payment(payment_id)
    return len(ids)
