"""Asking for a payment: a pending payment row in the caller's transaction, a job after commit."""

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from torchfin.models import Payment, User
from torchfin.models.enums import PaymentPurpose, PaymentState
from torchfin.queues import Job, enqueue_quietly
from torchfin.services.errors import Conflict


def pending_payment(session: Session, subject: str) -> Payment | None:
    """The payment of `subject` still being carried out, if any."""
    return session.scalar(
        select(Payment).where(Payment.subject == subject, Payment.state == PaymentState.PENDING)
    )


def request_payment(
    session: Session,
    subject: str,
    purpose: PaymentPurpose,
    amount: Decimal,
    payer: str,
    payee: str,
    actor: User | None,
    details: dict | None = None,
) -> Payment:
    """Add a pending payment for `subject` (not committed); one at a time per subject.

    The idempotency key is the subject, the purpose and the attempt number, so a retried job
    reuses its key while a new attempt after a decline gets a fresh one.
    """
    if pending_payment(session, subject) is not None:
        raise Conflict(f"{subject} already has a payment in progress; wait for it to finish")
    attempt = 1 + session.scalar(
        select(func.count(Payment.id)).where(Payment.subject == subject, Payment.purpose == purpose)
    )
    payment = Payment(
        idempotency_key=f"{subject}:{purpose}:{attempt}",
        purpose=purpose,
        amount=amount,
        payer=payer,
        payee=payee,
        subject=subject,
        state=PaymentState.PENDING,
        requested_by=actor.id if actor else None,
        details=details or {},
    )
    session.add(payment)
    session.flush()
    return payment


def enqueue_payment(payment_id: int) -> str | None:
    """After the commit: ask a worker to carry the payment out (the retry sweep is the backstop)."""
    return enqueue_quietly(Job.EXECUTE_PAYMENT, payment_id)
