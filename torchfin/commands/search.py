"""`flask search`: rebuild the indices from SQL, drain the outbox, compare SQL and the index."""

import sys
import time

import click
from flask import current_app
from flask.cli import AppGroup
from rich.console import Console
from sqlalchemy import func, select

from search.client import index_layout
from torchfin.commands.console import console, progress_bar
from torchfin.extensions import db, search_client

search_cli = AppGroup("search", help="Elasticsearch: rebuild, drain the outbox, status.")


def rebuild_all(kinds: tuple[str, ...]) -> dict[str, float]:
    """Rebuild each kind's index from SQL behind its alias; return documents per second."""
    from search.documents import MODELS
    from search.sync import rebuild

    prefix = current_app.config["SEARCH_INDEX_PREFIX"]
    rates = {}
    with progress_bar() as progress:
        for kind in kinds:
            model = MODELS[kind]
            total = db.session.scalar(select(func.count()).select_from(model))
            task = progress.add_task(f"indexing {kind}", total=total)
            started = time.perf_counter()
            result = rebuild(
                db.session,
                search_client(),
                prefix,
                kind,
                on_progress=lambda n, t=task: progress.advance(t, n),
                layout=index_layout(current_app.config),
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

    ensure_indices(
        search_client(), current_app.config["SEARCH_INDEX_PREFIX"], index_layout(current_app.config)
    )
    console.print("indices ready")
