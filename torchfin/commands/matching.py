"""`flask match`: bulk rescoring of every project against every mandate through RQ workers."""

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from torchfin.commands.console import console, follow_batch
from torchfin.extensions import db
from torchfin.models import Match, MatchRun
from torchfin.services.matching.scoring import DEFAULT_CHUNK, chunks_done, start_rescore

match_cli = AppGroup("match", help="Matching projects with mandates.")


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
    run, resumed = start_rescore(top_k, chunk)
    verb = "resumed" if resumed else "started"
    console.print(f"run {run.id} {verb}: {run.total_chunks} chunks, top {run.top_k}")
    if not follow:
        return
    run = follow_batch(run, "run", "scoring chunks", timeout, _chunks_done)
    console.print(f"run {run.id} done: {run.stored} matches stored")


def _chunks_done(run: MatchRun) -> tuple[int, int]:
    # Store chunks join the total once scoring is done.
    return chunks_done(run.id), run.total_chunks


@match_cli.command("status")
def match_status() -> None:
    """The latest runs and the number of stored matches."""
    for run in db.session.scalars(select(MatchRun).order_by(MatchRun.id.desc()).limit(5)):
        console.print(
            f"run {run.id} {run.status} v{run.algorithm_version} as of {run.as_of}: "
            f"{chunks_done(run.id)}/{run.total_chunks} chunks, stored {run.stored}"
        )
    console.print(f"{db.session.scalar(select(func.count()).select_from(Match))} matches")
