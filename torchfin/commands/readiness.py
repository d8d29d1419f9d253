"""`flask readiness`: run a zone's OTC-readiness batch through RQ and follow its progress."""

import sys
from datetime import date

import click
from flask.cli import AppGroup

from torchfin.commands.console import console, follow_batch
from torchfin.models import ReadinessBatch
from torchfin.services.errors import ServiceError
from torchfin.services.readiness.batches import enqueue_zone_run
from torchfin.services.readiness.rule_sets import DEFAULT_RULE_SET, RULE_SETS

readiness_cli = AppGroup("readiness", help="OTC-pilot (NEEQ) readiness batch runs.")


@readiness_cli.command("run")
@click.option("--zone", "zone_code", required=True, help="Zone code, e.g. zhongguancun.")
@click.option("--rules", "rule_set", default=DEFAULT_RULE_SET, type=click.Choice(list(RULE_SETS)))
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Check date (default today).")
@click.option("--follow/--no-follow", default=True, help="Show progress until the batch ends.")
@click.option("--timeout", default=3600, show_default=True, help="Seconds to follow at most.")
def readiness_run(zone_code: str, rule_set: str, as_of, follow: bool, timeout: int) -> None:
    """Enqueue a batch over every enterprise of a zone; a worker (`flask rq worker`) runs it."""
    try:
        batch = enqueue_zone_run(zone_code, rule_set, as_of.date() if as_of else date.today())
    except ServiceError as exc:
        console.print(f"[red]{exc.message}[/red] {exc.errors or ''}")
        sys.exit(1)
    console.print(f"batch {batch.id}: {batch.total} enterprises of {zone_code} against {rule_set}")
    if not follow:
        return
    batch = follow_batch(batch, "batch", f"checking {zone_code}", timeout, _checked)
    console.print(f"batch {batch.id} done: {batch.done} enterprises checked")


def _checked(batch: ReadinessBatch) -> tuple[int, int]:
    return batch.done, batch.total
