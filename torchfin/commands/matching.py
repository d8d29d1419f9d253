"""`flask match`: bulk rescoring of every project against every mandate through RQ workers."""

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from torchfin.commands.console import console, follow_batch
from torchfin.extensions import db
from torchfin.models import Match, MatchRun
from torchfin.services.matching.scoring import RunProgress, chunks_done, progress, start_rescore

match_cli = AppGroup("match", help="Matching projects with mandates.")


@match_cli.command("rescore")
@click.option(
    "--top-k",
    default=None,
    type=click.IntRange(1, 1000),
    help="Matches kept per project and per mandate  [default: MATCH_TOP_K, 20]",
)
@click.option(
    "--chunk",
    default=None,
    type=click.IntRange(1, 100_000),
    help="Projects per scoring job  [default: about an eighth of them, 250 to 20,000]",
)
@click.option("--follow/--no-follow", default=True, help="Show progress until the run ends.")
@click.option("--timeout", default=6 * 3600, show_default=True, help="Seconds to follow at most.")
def match_rescore(top_k: int | None, chunk: int | None, follow: bool, timeout: int) -> None:
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
    """The latest runs (chunks done, pairs scored per second, time left) and the number of
    stored matches."""
    for run in db.session.scalars(select(MatchRun).order_by(MatchRun.id.desc()).limit(5)):
        console.print(
            f"run {run.id} {run.status} v{run.algorithm_version} as of {run.as_of}: "
            f"{progress_line(progress(run))}, stored {run.stored}"
        )
    console.print(f"{db.session.scalar(select(func.count()).select_from(Match))} matches")


def progress_line(p: RunProgress) -> str:
    """'3/8 chunks, 1,200,000 pairs scored at 2,400,000 pairs/s, ETA 4 s' (unknowns left out)."""
    parts = [f"{p.chunks_done}/{p.total_chunks} chunks"]
    if p.pairs_per_second is not None:
        parts.append(f"{p.pairs_scored:,} pairs scored at {p.pairs_per_second:,.0f} pairs/s")
    if p.eta_seconds is not None:
        parts.append(f"ETA {p.eta_seconds:,.0f} s")
    return ", ".join(parts)
