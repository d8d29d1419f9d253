"""Finding jobs whose worker died mid-job (SIGKILL, lost machine) and queueing them again.

RQ notices a dead worker only when its job's time in the started registry runs out; a worker that
is known to be dead (its registration expired, or its process on this host is gone) lets us put
the job back at once. Jobs are idempotent, so running one again is safe.
"""

import os
import socket

from redis import Redis

from torchfin.queues import QUEUES, queue


def worker_alive(redis: Redis, worker_name: str | None) -> bool:
    """False when the worker's registration is gone or its process on this host has died."""
    if not worker_name:
        return False
    data = redis.hgetall(f"rq:worker:{worker_name}")
    if not data:
        return False
    pid = int(data.get(b"pid") or 0)
    if data.get(b"hostname", b"").decode() == socket.gethostname() and pid:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
    return True


def requeue_abandoned(queue_names: tuple[str, ...] = QUEUES) -> list[str]:
    """Put every started job whose worker is dead back on its queue; return their ids."""
    requeued = []
    for name in queue_names:
        work = queue(name)
        registry = work.started_job_registry
        for job_id in registry.get_job_ids(cleanup=False):
            job = work.fetch_job(job_id)
            if job is None or worker_alive(work.connection, job.worker_name):
                continue
            registry.remove_executions(job)
            work.enqueue_job(job)
            requeued.append(job.id)
    return requeued
