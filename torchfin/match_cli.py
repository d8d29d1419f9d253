"""`flask match`: bulk rescoring of every project against every mandate through RQ workers."""

import sys
import time

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from torchfin.cli import _progress, console
from torchfin.extensions import db
from torchfin.models import Match, MatchRun
from torchfin.models.enums import BatchStatus
from torchfin.services.matching.scoring import (
    DEFAULT_CHUNK,
    chunks_done,
    start_rescore,
    top_k_setting,
)

match_cli = AppGroup("match", help="Matching projects with mandates.")
POLL_SECONDS = 0.5


@match_cli.command("rescore")
@click.option(
    "--top-k",
    default=None,
    type=click.IntRange(1, 1000),
    help="Matches kept per project and per mandate  [default: MATCH_TOP_K, 20]",
)
@click.option("--chunk", default=DEFAULT_CHUNK, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--follow/--no-follow", default=True, help="Show progress until the run ends.")
@click.option("--timeout", default=6 * 3600, show_default=True, help="Seconds to follow at most.")
def match_rescore(top_k: int | None, chunk: int, follow: bool, timeout: int) -> None:
    """Score all projects x all mandates in chunks on RQ workers (`flask rq worker`); resumes
    today's unfinished run instead of starting another."""
    # Without --top-k the bulk run keeps as many as the incremental path (one setting for both).
    run, resumed = start_rescore(top_k or top_k_setting(), chunk)
    verb = "resumed" if resumed else "started"
    console.print(f"run {run.id} {verb}: {run.total_chunks} chunks, top {run.top_k}")
    if not follow:
        return
    run_id, deadline = run.id, time.monotonic() + timeout
    with _progress() as progress:
        task = progress.add_task("scoring chunks", total=run.total_chunks)
        while time.monotonic() < deadline:
            db.session.rollback()  # end the read transaction: see the workers' commits
            run = db.session.get(MatchRun, run_id)
            # Store chunks join the total once scoring is done.
            progress.update(task, completed=chunks_done(run_id), total=run.total_chunks)
            if run.status in (BatchStatus.DONE, BatchStatus.FAILED):
                break
            time.sleep(POLL_SECONDS)
    if run.status != BatchStatus.DONE:
        console.print(f"[red]run {run_id} {run.status}[/red] {run.error or ''}")
        sys.exit(1)
    console.print(f"run {run_id} done: {run.stored} matches stored")


@match_cli.command("status")
def match_status() -> None:
    """The latest runs and the number of stored matches."""
    for run in db.session.scalars(select(MatchRun).order_by(MatchRun.id.desc()).limit(5)):
        console.print(
            f"run {run.id} {run.status} v{run.algorithm_version} as of {run.as_of}: "
            f"{chunks_done(run.id)}/{run.total_chunks} chunks, stored {run.stored}"
        )
    console.print(f"{db.session.scalar(select(func.count()).select_from(Match))} matches")
