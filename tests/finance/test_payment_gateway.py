"""The sandbox gateway's idempotency, and payments that are declined, time out or are retried."""

import threading
from decimal import Decimal

import pytest
from sqlalchemy import select

from torchfin.extensions import db
from torchfin.models import Payment
from torchfin.models.enums import PaymentPurpose, PaymentState
from torchfin.queues import Job, enqueue
from torchfin.services.finance import ledger, settlement
from torchfin.services.finance.payments import execution
from torchfin.services.finance.payments.gateway import (
    DuplicateInFlight,
    GatewayTimeout,
    IdempotencyKeyReused,
    PaymentDeclined,
    PaymentRequest,
    PaymentResult,
)
from torchfin.services.finance.payments.requests import request_payment
from torchfin.services.finance.payments.sandbox import SandboxBehaviour

FEE = PaymentRequest("guarantee_fee", Decimal("60000.00"), "enterprise:1", "agency:2")


def test_same_key_and_request_give_the_same_result_once(sandbox):
    first = sandbox.pay("k1", FEE)
    assert sandbox.pay("k1", FEE) == first
    assert first.reference.startswith("SBX-") and sandbox.processed_keys() == ["k1"]


def test_same_key_with_other_parameters_is_refused(sandbox):
    sandbox.pay("k1", FEE)
    other = PaymentRequest("guarantee_fee", Decimal("60000.01"), "enterprise:1", "agency:2")
    with pytest.raises(IdempotencyKeyReused):
        sandbox.pay("k1", other)


def test_concurrent_duplicate_is_409(app, sandbox):
    sandbox.configure(SandboxBehaviour(delay_before=0.5))
    outcome = {}

    def first_call() -> None:
        with app.app_context():
            outcome["first"] = sandbox.pay("k1", FEE)

    thread = threading.Thread(target=first_call)
    thread.start()
    while not sandbox.redis.exists(sandbox.inflight + "k1"):
        pass
    with pytest.raises(DuplicateInFlight) as refused:
        sandbox.pay("k1", FEE)
    thread.join()
    assert refused.value.status == 409
    assert sandbox.pay("k1", FEE) == outcome["first"]


def test_a_decline_is_replayed_for_the_same_key(sandbox):
    sandbox.configure(SandboxBehaviour(decline=frozenset({"guarantee_fee"})))
    with pytest.raises(PaymentDeclined):
        sandbox.pay("k1", FEE)
    sandbox.configure(SandboxBehaviour())
    with pytest.raises(PaymentDeclined):
        sandbox.pay("k1", FEE)


def _pending(amount: str = "1000.00") -> Payment:
    payment = request_payment(
        db.session,
        "pool:1",
        PaymentPurpose.POOL_DEPOSIT,
        Decimal(amount),
        "sponsor:1",
        "pool:1",
        None,
    )
    db.session.commit()
    return payment


def test_declined_payment_fails_without_booking(sandbox, run_worker, parties):
    sandbox.configure(SandboxBehaviour(decline=frozenset({"*"})))
    payment = _pending()
    enqueue(Job.EXECUTE_PAYMENT, payment.id)
    run_worker()
    db.session.expire_all()
    assert db.session.get(Payment, payment.id).state == PaymentState.FAILED
    assert ledger.check(db.engine) == (0, [])


def test_timed_out_payment_stays_pending_until_a_retry_succeeds(sandbox, run_worker, parties):
    sandbox.configure(SandboxBehaviour(timeout=frozenset({"*"})))
    payment = _pending()
    job = enqueue(Job.EXECUTE_PAYMENT, payment.id)
    run_worker()
    assert job.get_status(refresh=True) == "failed"
    db.session.expire_all()
    assert db.session.get(Payment, payment.id).state == PaymentState.PENDING
    sandbox.configure(SandboxBehaviour())
    assert execution.retry_pending() == 1
    run_worker()
    db.session.expire_all()
    assert db.session.get(Payment, payment.id).state == PaymentState.SUCCEEDED
    assert ledger.balance(db.session, "pool:1") == Decimal("1000.00")
    # Running the job again changes nothing.
    enqueue(Job.EXECUTE_PAYMENT, payment.id)
    run_worker()
    assert ledger.check(db.engine) == (1, [])


def test_processor_stand_in_through_the_interface(mocker, parties):
    """A processor outside the system, replaced with pytest-mock: the worker code keeps to the
    interface (the key is passed, a timeout propagates so RQ retries)."""
    processor = mocker.Mock()
    processor.pay.side_effect = [GatewayTimeout("slow"), PaymentResult("EXT-1", Decimal("1000.00"))]
    mocker.patch(
        "torchfin.services.finance.payments.execution.payment_gateway", return_value=processor
    )
    payment = _pending()
    with pytest.raises(GatewayTimeout):
        execution.execute_payment(payment.id, settlement.settle)
    assert execution.execute_payment(payment.id, settlement.settle) == PaymentState.SUCCEEDED
    keys = {call.args[0] for call in processor.pay.call_args_list}
    assert keys == {payment.idempotency_key}
    processor.confirm.assert_called_once_with(payment.idempotency_key)
    booked = db.session.scalars(select(Payment.gateway_reference)).all()
    assert booked == ["EXT-1"]
