"""`flask pool`: apply a bank's month-end repayment file to a pool, follow it, get its results."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from torchfin.commands.console import console, follow_batch
from torchfin.extensions import db
from torchfin.models import PoolBatch
from torchfin.services.errors import ServiceError
from torchfin.services.finance import pool_batches
from torchfin.services.finance.repayment_batches import start_repayment_batch

pool_cli = AppGroup("pool", help="Risk-compensation pools: batches of repayments.")


@pool_cli.command("repayments")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--pool", "pool_id", type=int, required=True, help="The pool's id.")
@click.option("--dry-run", is_flag=True, help="Check every row and write nothing.")
@click.option("--follow/--no-follow", default=True, help="Show progress until the batch ends.")
@click.option("--timeout", default=3600, show_default=True, help="Seconds to follow at most.")
def pool_repayments(file: Path, pool_id: int, dry_run: bool, follow: bool, timeout: int) -> None:
    """Check a repayment file (CSV in UTF-8 or GBK, or XLSX: loan number, amount, date) and
    enqueue the job that applies its good rows, each once; a worker (`flask rq worker`) runs it.

    As an operator, for the loans of any bank in the pool. Rows refused are listed with their
    row number, column and message; the exit status is 1 when the file cannot be read.
    """
    try:
        batch = start_repayment_batch(None, pool_id, file.name, file.read_bytes(), dry_run)
    except ServiceError as exc:
        console.print(f"[red]{exc.message}[/red]")
        for field, messages in exc.errors.items():
            for message in messages:
                console.print(f"  {field}: {message}", soft_wrap=True)
        sys.exit(1)
    _print_summary(pool_batches.summary(batch, dry_run))
    if dry_run or not follow or batch.status != "queued":
        return
    batch = follow_batch(batch, "batch", f"applying {file.name}", timeout, _progress)
    _print_summary(pool_batches.summary(batch))


@pool_cli.command("batch")
@click.argument("batch_id", type=int)
@click.option(
    "--results",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the per-row result file here (.csv or .xlsx).",
)
def pool_batch(batch_id: int, results: Path | None) -> None:
    """Show a batch's progress and rows in error; with --results, write its result file."""
    batch = db.session.get(PoolBatch, batch_id)
    if batch is None:
        console.print(f"[red]pool batch {batch_id} does not exist[/red]")
        sys.exit(1)
    _print_summary(pool_batches.summary(batch))
    if results is not None:
        xlsx = results.suffix.lower() == ".xlsx"
        results.write_bytes(
            pool_batches.result_xlsx(batch) if xlsx else pool_batches.result_csv(batch)
        )
        console.print(f"results written to {results}")


def _progress(batch: PoolBatch) -> tuple[int, int]:
    return batch.done, batch.total


def _print_summary(summary: dict) -> None:
    counts = summary["counts"]
    label = "dry run" if summary["dry_run"] else f"batch {summary['id']} ({summary['status']})"
    console.print(
        f"{label}: {summary['done']} of {summary['total']} rows done; "
        f"{counts['applied']} applied, {counts['duplicate']} duplicate, "
        f"{counts['error']} error, {counts['pending']} pending"
    )
    for row in summary["errors"]:
        console.print(f"  [red]row {row.row_no}[/red] {row.message}", soft_wrap=True)
