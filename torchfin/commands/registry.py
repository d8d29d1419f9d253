"""`flask registry`: import a zone's enterprise file, follow the import, get its result file."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from torchfin.commands.console import console, follow_batch
from torchfin.models import RegistryImport
from torchfin.services.errors import ServiceError
from torchfin.services.registry.imports import records

registry_cli = AppGroup("registry", help="The Torch registry: bulk imports of enterprises.")


@registry_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--zone", "zone_code", help="The zone's code; rows of other zones are refused.")
@click.option("--dry-run", is_flag=True, help="Report every row's fate and write nothing.")
@click.option("--follow/--no-follow", default=True, help="Show progress until the import ends.")
@click.option("--timeout", default=3600, show_default=True, help="Seconds to follow at most.")
@click.option(
    "--results",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the result file (default: next to FILE, ending .result.xlsx).",
)
def registry_import(
    file: Path,
    zone_code: str | None,
    dry_run: bool,
    follow: bool,
    timeout: int,
    results: Path | None,
) -> None:
    """Import enterprises from FILE (XLSX, or CSV in UTF-8 or GBK, headed like the template) as
    an operator: a dry run reports every row in-process; otherwise a worker (`flask rq worker`)
    imports the file while a progress bar follows it, and the result file is written.

    The exit status is 1 when the file cannot be read or the import fails.
    """
    try:
        started = records.start_import(None, file.name, file.read_bytes(), zone_code, dry_run)
    except ServiceError as exc:
        console.print(f"[red]{exc.message}[/red]")
        for field, messages in exc.errors.items():
            for message in messages:
                console.print(f"  {field}: {message}", soft_wrap=True)
        sys.exit(1)
    if dry_run:
        _print_summary(records.summary(started), every_row=True)
        return
    if not follow:
        _print_summary(records.summary(started))
        return
    record = follow_batch(started, "registry import", f"importing {file.name}", timeout, _progress)
    _print_summary(records.summary(record))
    target = results or file.with_name(f"{file.stem}.result.xlsx")
    target.write_bytes(records.result_file(record))
    console.print(f"result file: {target}")


def _progress(record: RegistryImport) -> tuple[int, int]:
    return record.done, record.total


def _print_summary(summary: dict, every_row: bool = False) -> None:
    counts = summary["counts"]
    label = "dry run" if summary["dry_run"] else f"import {summary['id']} ({summary['status']})"
    console.print(
        f"{label}: {summary['done']} of {summary['total']} rows; "
        f"{counts['created']} created, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged, {counts['failed']} failed"
    )
    for outcome in summary["rows"]:
        if every_row or outcome.status == "failed":
            style = "red" if outcome.status == "failed" else "green"
            console.print(
                f"  [{style}]row {outcome.row_no} {outcome.status}[/{style}] {outcome.message}",
                soft_wrap=True,
            )
