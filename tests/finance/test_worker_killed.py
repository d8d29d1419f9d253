"""A worker killed with SIGKILL at several points of a payout while a second worker runs beside
it: after the retry, one payment.

Two long-running workers share the queue. The sandbox is told to be slow at the chosen point so
the test can kill whichever worker took the payout, with its work horse, there; the other worker
stays up throughout. The periodic recovery job, run by the survivor, puts the abandoned job back
on its queue, and the survivor finishes it.
"""

import time
from decimal import Decimal

import pytest
from rq import Worker
from rq.job import Job as QueuedJob
from rq.job import JobStatus
from sqlalchemy import func, select

from tests.factories.accounts import auth
from tests.factories.finance import loss_parts, make_pool
from tests.worker_processes import kill_tree
from torchfin.extensions import db
from torchfin.models import LedgerTransaction, Payment, PoolClaim
from torchfin.models.enums import ClaimState, PaymentPurpose, PaymentState
from torchfin.queues import DEFAULT, Job, enqueue, queue
from torchfin.services.finance import audit, ledger
from torchfin.services.finance.payments.sandbox import SandboxBehaviour
from workers.periodic import PERIODIC_JOBS

# A fault test: run by `make faults`, which prints what each kill found.
pytestmark = pytest.mark.faults

WORKERS = 2


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


def _wait_for(condition, what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"waited {seconds} s in vain for {what}"
        time.sleep(0.05)


def _started_payout_job(payment_id: int) -> QueuedJob:
    """The started job carrying out `payment_id` (the one the kill interrupts)."""
    work = queue(DEFAULT)
    jobs = [work.fetch_job(i) for i in work.started_job_registry.get_job_ids(cleanup=False)]
    [job] = [
        job
        for job in jobs
        if job is not None
        and job.func_name == Job.EXECUTE_PAYMENT.path
        and job.args == (payment_id,)
    ]
    return job


def _pid_of_worker(name: str) -> int:
    worker = Worker.find_by_key(
        Worker.redis_worker_namespace_prefix + name, queue(DEFAULT).connection
    )
    assert worker is not None, f"worker {name} is not registered"
    return worker.pid


def _finished(job: QueuedJob) -> bool:
    return job.get_status(refresh=True) == JobStatus.FINISHED


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
        lambda gw, key, claim: bool(gw.redis.exists(gw.inflight + key)),
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
def test_payout_survives_sigkill(
    client, parties, run_worker, background_workers, sandbox, report, point
):
    claim_id = _payout_requested(client, parties, run_worker)
    payout = _payout(claim_id)
    payment_id, key = payout.id, payout.idempotency_key
    behaviour, reached = KILL_POINTS[point]
    sandbox.configure(behaviour)
    db.session.remove()
    workers = background_workers(WORKERS)
    try:
        _wait_for(lambda: reached(sandbox, key, claim_id), f"the payout to reach {point}")
        job = _started_payout_job(payment_id)
        # Whichever worker took the payout is the one to die; the other keeps running.
        victim_pid = _pid_of_worker(job.worker_name)
        [victim] = [worker for worker in workers if worker.pid == victim_pid]
    except BaseException:
        for worker in workers:  # none may finish the payout once the sandbox wakes up
            kill_tree(worker)
        raise
    killed = kill_tree(victim)
    [survivor] = [worker for worker in workers if worker is not victim]
    assert survivor.poll() is None
    # An in-flight marker left by the dead call runs out with its lease.
    _wait_for(
        lambda: not sandbox.redis.exists(sandbox.inflight + key), "the in-flight marker to expire"
    )
    sandbox.configure(SandboxBehaviour())
    # The periodic recovery job, enqueued as `flask rq cron` does, is run by the surviving
    # worker: it finds the job of the dead worker and queues it again, and the survivor runs it.
    periodic = next(p for p in PERIODIC_JOBS if p.name == "requeue-abandoned-jobs")
    recovery = enqueue(periodic.job, **periodic.kwargs)
    _wait_for(lambda: _finished(recovery), "the recovery job")
    requeued = recovery.return_value()
    assert requeued == [job.id]
    _wait_for(lambda: _finished(job), "the requeued payout job")
    assert survivor.poll() is None, "the second worker died"
    for ran in (recovery, job):
        ran.refresh()
        assert _pid_of_worker(ran.worker_name) == survivor.pid

    payout = _payout(claim_id)
    assert payout.state == PaymentState.SUCCEEDED
    # One payment row for the claim, carried out by the gateway once, under its key.
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
        f"Worker killed mid-payout beside a second worker: {point}",
        [
            f"killed: 1 of {WORKERS} RQ workers and its work horse with SIGKILL "
            f"(pids {killed}) at {point}; the other kept running",
            f"requeued by the periodic job requeue-abandoned-jobs: {len(requeued)} job, "
            "run by the surviving worker",
            f"after the retry: gateway payouts {len(payouts)}, ledger transactions {booked}, "
            f"pool balance {balance}",
            "ledger check: balanced; audit verify: chain intact",
        ],
    )
