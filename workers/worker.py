"""The worker process: RQ workers running inside the Flask app context."""

import os

from flask import Flask
from rq import Worker

from torchfin.extensions import db
from torchfin.queues import QUEUES, queue, redis_connection


def run_worker(app: Flask, queue_names: list[str] | None = None, burst: bool = False) -> bool:
    """Work the given queues (all by default) until stopped, or until empty with `burst`."""
    with app.app_context():
        # A forked work horse must not reuse the parent's pooled database connections.
        os.register_at_fork(after_in_child=lambda: db.engine.dispose(close=False))
        queues = [queue(name) for name in (queue_names or QUEUES)]
        worker = Worker(queues, connection=redis_connection())
        return worker.work(burst=burst, with_scheduler=not burst, logging_level="INFO")
