"""A worker killed with SIGKILL at several points of a payout: after the retry, one payment.

The sandbox is told to be slow at the chosen point so the test can kill the worker and its work
horse there; the abandoned job is then put back on its queue and a fresh worker finishes it.
"""

import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import ROOT
from tests.factories.accounts import auth
from tests.factories.finance import loss_parts, make_pool
from torchfin.extensions import db
from torchfin.models import LedgerTransaction, Payment, PoolClaim
from torchfin.models.enums import ClaimState, PaymentPurpose, PaymentState
from torchfin.services.finance import audit, ledger
from torchfin.services.finance.payments.sandbox import SandboxBehaviour

# A fault test: run by `make faults`, which prints what each kill found.
pytestmark = pytest.mark.faults


def _payout_requested(client, parties, run_worker) -> int:
    pool_id = make_pool(parties.zone).id
    deposit = {"amount": "5000000.00"}
    client.post(f"/api/v1/pools/{pool_id}/deposits", json=deposit, headers=auth(parties.sponsor))
    run_worker()
    loan = client.post(
        f"/api/v1/pools/{pool_id}/loans",
        json={
            "enterprise_id": parties.enterprise_id,
            "loan_no": "K-1",
            "principal": "3000000.00",
            "maturity_on": "2030-01-01",
        },
        headers=auth(parties.banker),
    ).json
    claim = client.post(
        f"/api/v1/pool-loans/{loan['id']}/claims",
        json={**loss_parts("3000000.00"), "days_overdue": 100},
        headers=auth(parties.banker),
    ).json
    for action in ("review", "approve", "pay"):
        response = client.post(
            f"/api/v1/claims/{claim['id']}/{action}", headers=auth(parties.sponsor)
        )
        assert response.status_code == 200, response.json
    return claim["id"]


def _process_tree(pid: int) -> list[int]:
    """`pid` and its descendants: RQ's work horse leaves the worker's process group (setpgrp)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [pid, *(p for child in children for p in _process_tree(int(child)))]


def _wait_for(condition, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the worker never reached the kill point"
        time.sleep(0.05)


def _payout(claim_id: int) -> Payment:
    db.session.rollback()
    return db.session.scalars(
        select(Payment).where(
            Payment.subject == f"claim:{claim_id}", Payment.purpose == PaymentPurpose.POOL_PAYOUT
        )
    ).one()


KILL_POINTS = {
    # the gateway has the call but has not processed it
    "before_processing": (
        SandboxBehaviour(delay_before=300, lease=2),
        lambda gw, key, claim: gw.redis.exists(gw.inflight + key),
    ),
    # the gateway paid; the answer has not reached the worker, nothing is booked
    "after_processing": (
        SandboxBehaviour(delay_after=300),
        lambda gw, key, claim: gw.record(key) is not None,
    ),
    # the payment is booked and committed; the job has not finished
    "after_booking": (
        SandboxBehaviour(delay_confirm=300),
        lambda gw, key, claim: _payout(claim).state == PaymentState.SUCCEEDED,
    ),
}


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_payout_survives_sigkill(client, parties, run_worker, run_periodic, sandbox, report, point):
    claim_id = _payout_requested(client, parties, run_worker)
    key = _payout(claim_id).idempotency_key
    behaviour, reached = KILL_POINTS[point]
    sandbox.configure(behaviour)
    db.session.remove()
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "rq", "worker", "--burst"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(lambda: reached(sandbox, key, claim_id))
    finally:
        killed = _process_tree(worker.pid)
        for pid in killed:
            os.kill(pid, signal.SIGKILL)
        worker.wait()
    # An in-flight marker left by the dead call runs out with its lease.
    _wait_for(lambda: not sandbox.redis.exists(sandbox.inflight + key))
    sandbox.configure(SandboxBehaviour())
    # The periodic recovery job finds the job of the dead worker and queues it again; the same
    # burst worker then runs it.
    requeued = run_periodic("requeue-abandoned-jobs")
    assert len(requeued) == 1

    payout = _payout(claim_id)
    assert payout.state == PaymentState.SUCCEEDED
    assert sandbox.processed_keys() == sorted(
        [key, *[k for k in sandbox.processed_keys() if k != key]]
    )
    assert [k for k in sandbox.processed_keys() if ":pool_payout:" in k] == [key]
    booked = db.session.scalar(
        select(func.count()).where(LedgerTransaction.reference == f"payment:{payout.id}")
    )
    assert booked == 1
    assert ledger.check(db.engine)[1] == [] and audit.verify(db.engine)[1] == []
    claim = db.session.get(PoolClaim, claim_id)
    assert claim.state == ClaimState.PAID
    balance = ledger.balance(db.session, f"pool:{claim.pool_id}")
    assert balance == Decimal("5000000.00") - claim.payable == Decimal("3500000.00")
    payouts = [k for k in sandbox.processed_keys() if ":pool_payout:" in k]
    report(
        f"Worker killed mid-payout: {point}",
        [
            f"killed: RQ worker and work horse with SIGKILL (pids {killed}) at {point}",
            f"requeued by the periodic job requeue-abandoned-jobs: {len(requeued)} job",
            f"after the retry: gateway payouts {len(payouts)}, ledger transactions {booked}, "
            f"pool balance {balance}",
            "ledger check: balanced; audit verify: chain intact",
        ],
    )
