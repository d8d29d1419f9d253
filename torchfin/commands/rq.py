"""`flask rq`: RQ workers and the periodic-job scheduler, inside the app context."""

import click
from flask import current_app
from flask.cli import AppGroup

rq_cli = AppGroup("rq", help="RQ workers inside the app context.")


@rq_cli.command("worker")
@click.argument("queues", nargs=-1)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
def rq_worker(queues: tuple[str, ...], burst: bool) -> None:
    """Run an RQ worker for the given queues (default: all)."""
    from workers.worker import run_worker

    run_worker(current_app._get_current_object(), list(queues) or None, burst=burst)


@rq_cli.command("cron")
def rq_cron() -> None:
    """Enqueue the periodic jobs (outbox sweep, ...) on their intervals."""
    from workers.periodic import run_cron

    run_cron(current_app._get_current_object())
