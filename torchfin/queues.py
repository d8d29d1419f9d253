"""Queues named by purpose, the registry of jobs, and enqueueing that never breaks a commit.

Services sit below `workers/`, so they name a job through `Job` (its function's dotted path, written
once here) instead of importing it; only the worker process imports the job functions.
"""

import contextlib
import logging
from collections.abc import Callable
from enum import Enum
from typing import Any

from flask import Flask, current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry
from rq.job import Job as QueuedJob
from rq.utils import import_attribute

log = logging.getLogger(__name__)

SEARCH = "search"
DEFAULT = "default"
QUEUES = (SEARCH, DEFAULT)


class Job(Enum):
    """Every background job: the dotted path of its function in `workers/`, and its queue."""

    DRAIN_SEARCH_OUTBOX = ("workers.search_jobs.drain_search_outbox", SEARCH)
    REQUEUE_ABANDONED_JOBS = ("workers.abandoned.requeue_abandoned", DEFAULT)
    EXECUTE_PAYMENT = ("workers.finance_jobs.execute_payment", DEFAULT)
    RETRY_PENDING_PAYMENTS = ("workers.finance_jobs.retry_pending_payments", DEFAULT)
    PURGE_IDEMPOTENCY_KEYS = ("workers.finance_jobs.purge_idempotency_keys", DEFAULT)
    ANCHOR_AUDIT_HEADS = ("workers.finance_jobs.anchor_audit_heads", DEFAULT)
    RUN_SAVED_SEARCH_ALERTS = ("workers.alert_jobs.run_saved_search_alerts", DEFAULT)
    DELIVER_WATCHLIST_EVENTS = ("workers.alert_jobs.deliver_watchlist_events", DEFAULT)
    REFRESH_FUND_ALERTS = ("workers.fund_jobs.refresh_fund_alerts", DEFAULT)
    RUN_READINESS_BATCH = ("workers.readiness_jobs.run_readiness_batch", DEFAULT)
    RUN_POOL_BATCH = ("workers.finance_jobs.run_pool_batch", DEFAULT)
    RUN_REGISTRY_IMPORT = ("workers.registry_jobs.run_registry_import", DEFAULT)
    MATCH_PROJECT = ("workers.match_jobs.match_project", DEFAULT)
    MATCH_MANDATE = ("workers.match_jobs.match_mandate", DEFAULT)
    RESCORE_CHUNK = ("workers.match_jobs.rescore_chunk", DEFAULT)
    STORE_CHUNK = ("workers.match_jobs.store_chunk", DEFAULT)
    FINISH_RESCORE = ("workers.match_jobs.finish_rescore", DEFAULT)
    REMIND_LATE_ANSWERS = ("workers.match_jobs.remind_late_answers", DEFAULT)
    REMOVE_ORPHAN_FILES = ("workers.data_room_jobs.remove_orphan_files", DEFAULT)

    def __init__(self, path: str, queue_name: str) -> None:
        self.path = path
        self.queue_name = queue_name

    def function(self) -> Callable[..., Any]:
        """The job function itself; imports its `workers` module, so for the worker side only."""
        return import_attribute(self.path)


def init_app(app: Flask) -> None:
    """Create the Redis connection for REDIS_URL (connects lazily)."""
    app.extensions["torchfin.redis"] = Redis.from_url(
        app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=10
    )


def redis_connection() -> Redis:
    """The Redis connection bound to the current app."""
    return current_app.extensions["torchfin.redis"]


def queue(name: str) -> Queue:
    """The RQ queue `name`, namespaced by RQ_QUEUE_PREFIX so tests and demo never share work."""
    return Queue(
        f"{current_app.config['RQ_QUEUE_PREFIX']}-{name}",
        connection=redis_connection(),
        default_timeout=current_app.config["RQ_JOB_TIMEOUT"],
    )


def enqueue(job: Job, *args: Any, **kwargs: Any) -> QueuedJob:
    """Put `job` on its queue once, as `flask rq cron` does; a Redis error reaches the caller."""
    return queue(job.queue_name).enqueue(job.path, *args, **kwargs)


def enqueue_quietly(job: Job, *args: Any, **kwargs: Any) -> str | None:
    """Enqueue `job` after a commit, with retries; return its id, or None when Redis is
    unreachable.

    The committed change is already safe in SQL (and in the outbox), so a Redis outage must not
    turn a successful write into an error: the periodic jobs pick the work up later.
    """
    try:
        queued = enqueue(job, *args, retry=Retry(max=3, interval=[5, 30, 120]), **kwargs)
    except RedisError as exc:
        log.warning("could not enqueue %s on %s: %s", job.path, job.queue_name, exc)
        return None
    return queued.id


# A coalesced job waiting in its queue holds this key; it expires so a job lost with its queue
# (Redis restarted empty) cannot silence the wake-ups for long. The periodic sweep covers the gap.
_WAITING_SECONDS = 120


def _waiting_key(job: Job) -> str:
    # Named like the queue's own keys, so whatever clears a prefix's queues clears it too.
    return f"rq:waiting:{queue(job.queue_name).name}:{job.name}"


def enqueue_coalesced(job: Job) -> str | None:
    """Enqueue `job` after a commit unless one is already waiting to start; its id, or None.

    For jobs that take all pending work when they start (the outbox drain): one waiting job
    serves every commit before it, so a stream of writes costs a job per drain, not a job (and
    a forked work horse) per commit. The job calls `coalesced_job_started` first thing, so a
    commit after that enqueues the next one and no wake-up is lost.
    """
    key = _waiting_key(job)
    try:
        if not redis_connection().set(key, 1, nx=True, ex=_WAITING_SECONDS):
            return None
    except RedisError as exc:
        log.warning("could not enqueue %s on %s: %s", job.path, job.queue_name, exc)
        return None
    queued = enqueue_quietly(job)
    if queued is None:
        with contextlib.suppress(RedisError):
            redis_connection().delete(key)
    return queued


def coalesced_job_started(job: Job) -> None:
    """Called by a coalesced job before it takes the pending work: the next commit enqueues anew."""
    redis_connection().delete(_waiting_key(job))
