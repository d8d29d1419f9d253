"""What the job queues hold, for operators: queues, workers, failed jobs, and requeueing one.

Read straight from RQ's own records in Redis, so the page shows what the workers see. Jobs are
idempotent, so running a failed one again is safe once its cause is mended.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from rq import Worker
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job as QueuedJob

from torchfin.models import User
from torchfin.queues import QUEUES, queue, redis_connection
from torchfin.services.errors import Conflict, NotFound
from torchfin.services.permissions import require_admin

log = logging.getLogger(__name__)

FAILED_SHOWN = 50  # the newest failed jobs per queue; older ones stay in RQ's registry


@dataclass(frozen=True)
class QueueState:
    """How many jobs of one queue wait, run, failed or are held back."""

    name: str
    queued: int
    started: int
    failed: int
    deferred: int
    scheduled: int


@dataclass(frozen=True)
class WorkerState:
    """A worker registered in Redis: where it runs, what it does now, what it has done."""

    name: str
    hostname: str
    pid: int | None
    state: str
    queues: list[str]
    current_job: str | None
    last_heartbeat: datetime | None
    successful: int
    failed: int


@dataclass(frozen=True)
class FailedJob:
    """A job that raised: what it ran and the error, last line first for the table."""

    id: str
    queue: str
    function: str
    ended_at: datetime | None
    error: str
    traceback: str


@dataclass(frozen=True)
class QueueOverview:
    """Everything the operators' page shows."""

    queues: list[QueueState]
    workers: list[WorkerState]
    failed: list[FailedJob]


def _failed_job(queue_name: str, job: QueuedJob) -> FailedJob:
    result = job.latest_result()
    trace = (result.exc_string if result else None) or job.exc_info or ""
    lines = [line for line in trace.strip().splitlines() if line.strip()]
    return FailedJob(
        id=job.id,
        queue=queue_name,
        function=job.func_name,
        ended_at=job.ended_at,
        error=lines[-1] if lines else "",
        traceback=trace,
    )


def queue_overview(user: User) -> QueueOverview:
    """The queues of this deployment, the workers serving them and the newest failed jobs."""
    require_admin(user, "see the job queues")
    states, failed = [], []
    for name in QUEUES:
        work = queue(name)
        registry = work.failed_job_registry
        states.append(
            QueueState(
                name=name,
                queued=work.count,
                started=work.started_job_registry.count,
                failed=registry.count,
                deferred=work.deferred_job_registry.count,
                scheduled=work.scheduled_job_registry.count,
            )
        )
        newest = registry.get_job_ids(-FAILED_SHOWN, -1)
        failed += [
            _failed_job(name, job)
            for job in work.job_class.fetch_many(newest, work.connection)
            if job
        ]
    failed.sort(key=lambda job: job.ended_at or datetime.min, reverse=True)
    own = {queue(name).name for name in QUEUES}
    workers = [
        WorkerState(
            name=worker.name,
            hostname=worker.hostname or "",
            pid=worker.pid,
            state=str(worker.get_state()),
            queues=worker.queue_names(),
            current_job=worker.get_current_job_id(),
            last_heartbeat=worker.last_heartbeat,
            successful=worker.successful_job_count,
            failed=worker.failed_job_count,
        )
        for worker in Worker.all(connection=redis_connection())
        if own & set(worker.queue_names())  # not the workers of another deployment's prefix
    ]
    return QueueOverview(states, sorted(workers, key=lambda w: w.name), failed)


def requeue_failed(user: User, queue_name: str, job_id: str) -> None:
    """Put a failed job back at the end of its queue, to run again as it was enqueued."""
    require_admin(user, "requeue jobs")
    if queue_name not in QUEUES:
        raise NotFound(f"no queue {queue_name!r}")
    try:
        queue(queue_name).failed_job_registry.requeue(job_id)
    except NoSuchJobError as exc:
        raise NotFound(f"no job {job_id!r} in queue {queue_name!r}") from exc
    except InvalidJobOperation as exc:
        raise Conflict(f"job {job_id!r} is no longer failed") from exc
    log.info("user %s requeued failed job %s of queue %s", user.id, job_id, queue_name)
