"""`flask demo`: deterministic demo data, and the demo's activity through the services."""

import sys
import time

import click
from flask.cli import AppGroup

from torchfin.commands.console import console, progress_bar
from torchfin.commands.search import rebuild_all
from torchfin.extensions import db

demo_cli = AppGroup("demo", help="Deterministic demo data.")


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
    with progress_bar() as progress:
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
