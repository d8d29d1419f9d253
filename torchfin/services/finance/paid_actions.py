"""Actions that move money: asked for now, finished when a worker has carried the payment out.

A move with a `payment` (collect a guarantee fee, pay a claim...), a deposit into a pool and a
recovery all take the same two steps. Asking leaves the record as it is: a pending payment, an
"<action>_requested" audit event, the commit, then a job. Settling, in the worker's commit that
books the payment, brings the record to the action's target and records the action itself.
"""

from enum import StrEnum
from typing import Protocol

from sqlalchemy.orm import Session

from torchfin.extensions import db
from torchfin.models import Payment, User
from torchfin.services.errors import Conflict
from torchfin.services.finance import audit
from torchfin.services.finance.payments.gateway import PaymentRequest
from torchfin.services.finance.payments.requests import (
    enqueue_payment,
    pending_payment,
    request_payment,
)


class Stateful(Protocol):
    """A record with a workflow state (a guarantee case, a claim)."""

    state: StrEnum


def in_progress(subject: str) -> bool:
    """Whether `subject` has a payment being carried out (its record takes no action meanwhile)."""
    return pending_payment(db.session, subject) is not None


def refuse_while_in_progress(subject: str, what: str) -> None:
    """409 while `subject`, which the message calls `what`, has a payment being carried out."""
    if in_progress(subject):
        raise Conflict(f"{what} has a payment in progress; wait for it")


def request(
    subject: str,
    action: str,
    transfer: PaymentRequest,
    actor: User,
    *,
    state: StrEnum | None = None,
    data: dict | None = None,
    amount_key: str = "amount",
    payment_details: dict | None = None,
) -> Payment:
    """Ask a worker to carry out `transfer` for `action` on `subject`, and commit.

    The record stays in `state` until the payment succeeds. The "<action>_requested" event
    carries `data`, the payment's id and the amount (under `amount_key`); the payment keeps
    `payment_details`. The job is enqueued after the commit.
    """
    payment = request_payment(
        db.session,
        subject,
        transfer.purpose,
        transfer.amount,
        transfer.payer,
        transfer.payee,
        actor,
        payment_details,
    )
    audit.record(
        db.session,
        subject,
        f"{action}_requested",
        actor=actor,
        from_state=state,
        to_state=state,
        data=(data or {}) | {"payment_id": payment.id, amount_key: f"{transfer.amount:.2f}"},
    )
    db.session.commit()
    enqueue_payment(payment.id)
    return payment


def settle(
    session: Session,
    payment: Payment,
    action: str,
    record: Stateful | None = None,
    target: StrEnum | None = None,
) -> None:
    """Finish `action` now that its payment succeeded (not committed).

    `record`, for an action on one, reaches `target` when the action moves it; the event names
    the payment, its amount and the gateway's reference.
    """
    before = record.state if record is not None else None
    if target is not None:
        record.state = target
    audit.record(
        session,
        payment.subject,
        action,
        from_state=before,
        to_state=record.state if record is not None else None,
        data={
            "payment_id": payment.id,
            "amount": f"{payment.amount:.2f}",
            "gateway_reference": payment.gateway_reference,
        },
    )
