"""Flask CLI groups: `flask search`, `flask demo`, `flask rq`, `flask users`."""

import sys
import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import func, select

from torchfin.extensions import db, search_client

console = Console(stderr=True)

search_cli = AppGroup("search", help="Elasticsearch: rebuild, drain the outbox, status.")
demo_cli = AppGroup("demo", help="Deterministic demo data.")
rq_cli = AppGroup("rq", help="RQ workers inside the app context.")


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def rebuild_all(kinds: tuple[str, ...]) -> dict[str, float]:
    """Rebuild each kind's index from SQL behind its alias; return documents per second."""
    from search.documents import BUILDERS
    from search.sync import rebuild

    prefix = current_app.config["SEARCH_INDEX_PREFIX"]
    rates = {}
    with _progress() as progress:
        for kind in kinds:
            model = BUILDERS[kind][0]
            total = db.session.scalar(select(func.count()).select_from(model))
            task = progress.add_task(f"indexing {kind}", total=total)
            started = time.perf_counter()
            result = rebuild(
                db.session,
                search_client(),
                prefix,
                kind,
                on_progress=lambda n, t=task: progress.advance(t, n),
            )
            elapsed = time.perf_counter() - started
            rates[kind] = result.documents / elapsed if elapsed else 0.0
            console.print(
                f"{kind}: {result.documents} documents into {result.index} "
                f"({rates[kind]:.0f} docs/s), replaced {result.replaced or 'nothing'}"
            )
    return rates


@search_cli.command("rebuild")
@click.option(
    "--kind", "kinds", multiple=True, type=click.Choice(["project", "enterprise", "mandate"])
)
def search_rebuild(kinds: tuple[str, ...]) -> None:
    """Build new versioned indices from SQL and swap the aliases (no downtime)."""
    rebuild_all(kinds or ("project", "enterprise", "mandate"))


@search_cli.command("drain")
def search_drain() -> None:
    """Apply pending outbox rows to Elasticsearch now (normally a worker does this)."""
    from search.sync import DrainIncomplete, drain_outbox

    try:
        result = drain_outbox(
            db.session, search_client(), current_app.config["SEARCH_INDEX_PREFIX"]
        )
    except DrainIncomplete as exc:
        console.print(f"[red]{exc}[/red]")
        sys.exit(1)
    console.print(f"acknowledged {result.acknowledged} outbox rows")


@search_cli.command("reconcile")
def search_reconcile() -> None:
    """Compare SQL and the index (ids and versions); exit 1 when they diverge."""
    from rich.table import Table

    from search.indices import KINDS
    from search.reconcile import reconcile

    prefix = current_app.config["SEARCH_INDEX_PREFIX"]
    table = Table(title="search reconcile")
    for column in ("kind", "in SQL", "in index", "missing", "extra", "stale"):
        table.add_column(column, justify="left" if column == "kind" else "right")
    diverging = 0
    for kind in KINDS:
        d = reconcile(db.session, search_client(), prefix, kind)
        diverging += d.total
        table.add_row(
            kind,
            str(d.in_sql),
            str(d.in_index),
            str(len(d.missing)),
            str(len(d.extra)),
            str(len(d.stale)),
        )
    Console().print(table)
    Console().print(f"divergence: {diverging}")
    if diverging:
        sys.exit(1)


@search_cli.command("ensure")
def search_ensure() -> None:
    """Create the aliased indices that do not exist yet."""
    from search.indices import ensure_indices

    ensure_indices(search_client(), current_app.config["SEARCH_INDEX_PREFIX"])
    console.print("indices ready")


@demo_cli.command("seed")
@click.option("--enterprises", default=5000, show_default=True, type=click.IntRange(1, 1_000_000))
@click.option("--projects", default=3000, show_default=True, type=click.IntRange(0, 1_000_000))
@click.option("--institutions", default=300, show_default=True, type=click.IntRange(7, 100_000))
@click.option("--mandates", default=600, show_default=True, type=click.IntRange(0, 1_000_000))
@click.option("--seed", "seed_value", default=20111, show_default=True, type=int)
@click.option(
    "--index/--no-index", default=True, show_default=True, help="Rebuild the indices after."
)
def demo_seed(
    enterprises: int, projects: int, institutions: int, mandates: int, seed_value: int, index: bool
) -> None:
    """Fill the database with deterministic, believable demo data, then index it."""
    from torchfin.demo.seed import DEMO_PASSWORD, DEMO_USERS, seed_demo

    started = time.perf_counter()
    with _progress() as progress:
        summary = seed_demo(
            db.session,
            enterprises=enterprises,
            projects=projects,
            institutions=institutions,
            mandates=mandates,
            seed=seed_value,
            progress=progress,
        )
    console.print(f"seeded in {time.perf_counter() - started:.1f}s: {summary}")
    if index:
        rebuild_all(("project", "enterprise", "mandate"))
    console.print(f"\n[bold]Demo users[/bold] (password: [green]{DEMO_PASSWORD}[/green])")
    for role, email in DEMO_USERS:
        console.print(f"  {role:<13} {email}")


@demo_cli.command("deals")
@click.option("--timeout", default=3600, show_default=True, help="Seconds to wait for scoring.")
def demo_deals(timeout: int) -> None:
    """Views, a decline, deals and a meeting on the investor's best matches, once the latest
    `flask match rescore` run has finished; tops up to the demo's counts (a rerun adds nothing)."""
    from torchfin.demo.pipeline import seed_demo_deals, wait_for_scores
    from torchfin.demo.script import ScriptStalled

    try:
        run = wait_for_scores(timeout)
    except ScriptStalled as exc:
        console.print(f"[red]{exc}[/red]")
        sys.exit(1)
    if run is not None:
        console.print(f"rescoring run {run.id} done: {run.stored} matches stored")
    have = seed_demo_deals()
    console.print("investor demo matches: " + ", ".join(f"{k} {n}" for k, n in have.items()))
    if not have["meeting"]:
        console.print("[red]no deal at the meeting stage: are there scored matches?[/red]")
        sys.exit(1)


@demo_cli.command("finance")
def demo_finance() -> None:
    """Guarantee cases and risk-compensation pools taken through their workflows; the money
    moves through a running `flask rq worker`. Finished cases and pools are left alone."""
    from torchfin.demo.finance import run_finance
    from torchfin.demo.script import ScriptStalled

    started = time.perf_counter()
    try:
        rounds = run_finance()
    except ScriptStalled as exc:
        console.print(f"[red]{exc}[/red]")
        sys.exit(1)
    console.print(
        f"demo guarantee cases and pools ready in {time.perf_counter() - started:.1f}s "
        f"({rounds} worker rounds)"
    )


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


def register_cli(app: Flask) -> None:
    """Attach the command groups to `app`."""
    from torchfin.finance_cli import FINANCE_GROUPS
    from torchfin.match_cli import match_cli
    from torchfin.readiness_cli import readiness_cli
    from torchfin.token_cli import tokens_cli

    groups = (search_cli, demo_cli, rq_cli, *FINANCE_GROUPS, readiness_cli, match_cli, tokens_cli)
    for group in groups:
        app.cli.add_command(group)
