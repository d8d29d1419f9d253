"""Queues named by purpose, and enqueueing that never breaks a committed write."""

import logging

from flask import Flask, current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry

log = logging.getLogger(__name__)

SEARCH = "search"
DEFAULT = "default"
QUEUES = (SEARCH, DEFAULT)


def init_app(app: Flask) -> None:
    """Create the Redis connection for REDIS_URL (connects lazily)."""
    app.extensions["torchfin.redis"] = Redis.from_url(
        app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=10
    )


def queue(name: str) -> Queue:
    """The RQ queue `name`, namespaced by RQ_QUEUE_PREFIX so tests and demo never share work."""
    return Queue(
        f"{current_app.config['RQ_QUEUE_PREFIX']}-{name}",
        connection=current_app.extensions["torchfin.redis"],
        default_timeout=current_app.config["RQ_JOB_TIMEOUT"],
    )


def enqueue_quietly(name: str, func: str, *args, **kwargs) -> str | None:
    """Enqueue after a commit; return the job id, or None when Redis is unreachable.

    The committed change is already safe in SQL (and in the outbox), so a Redis outage must not
    turn a successful write into an error: the periodic drain picks the work up later.
    """
    try:
        job = queue(name).enqueue(func, *args, retry=Retry(max=3, interval=[5, 30, 120]), **kwargs)
    except RedisError as exc:
        log.warning("could not enqueue %s on %s: %s", func, name, exc)
        return None
    return job.id
