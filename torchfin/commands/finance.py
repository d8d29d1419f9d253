"""Flask CLI groups of the finance workflows: `flask ledger`, `flask audit`, `flask payments`."""

import sys
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from torchfin.commands.console import console
from torchfin.extensions import db

ledger_cli = AppGroup("ledger", help="The double-entry ledger.")
audit_cli = AppGroup("audit", help="The hash-chained audit trail.")
payments_cli = AppGroup("payments", help="Payments, their jobs and the sandbox gateway.")


@ledger_cli.command("check")
def ledger_check() -> None:
    """Check every transaction balances and every succeeded payment is booked once."""
    from torchfin.services.finance.ledger import check

    count, problems = check(db.engine)
    for problem in problems:
        console.print(f"[red]{problem.reference}[/red]: {problem.message}")
    console.print(f"{count} transactions checked, {len(problems)} problems")
    if problems:
        sys.exit(1)


@audit_cli.command("verify")
@click.option(
    "--anchors",
    "anchor_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An anchor file of `flask audit anchor`: also fail chains rewritten since.",
)
def audit_verify(anchor_file: Path | None) -> None:
    """Verify every audit chain: changed, missing, reordered or truncated events fail it, and
    with --anchors chains whose history no longer leads to an anchored hash."""
    from torchfin.services.finance.audit import verify
    from torchfin.services.finance.audit_anchors import read_anchors

    started = time.perf_counter()
    anchors, problems = (
        read_anchors(anchor_file, current_app.config["AUDIT_ANCHOR_KEY"])
        if anchor_file
        else ({}, [])
    )
    count, chain_problems = verify(db.engine, anchors=anchors)
    problems += chain_problems
    for problem in problems:
        console.print(f"[red]{problem.subject}[/red] {problem.kind}: {problem.message}")
    elapsed = time.perf_counter() - started
    console.print(f"{count} events verified in {elapsed:.2f}s, {len(problems)} problems")
    if problems:
        sys.exit(1)


@audit_cli.command("anchor")
def audit_anchor() -> None:
    """Append every chain's length and last hash, signed, to AUDIT_ANCHOR_FILE."""
    from torchfin.services.finance.audit_anchors import anchor_heads

    path = Path(current_app.config["AUDIT_ANCHOR_FILE"])
    chains = anchor_heads(db.engine, path, current_app.config["AUDIT_ANCHOR_KEY"])
    console.print(f"anchored {chains} chains in {path}")


@payments_cli.command("requeue-abandoned")
def payments_requeue_abandoned() -> None:
    """Put jobs whose worker died (SIGKILL, lost machine) back on their queues."""
    from workers.abandoned import requeue_abandoned

    requeued = requeue_abandoned()
    console.print(f"requeued {len(requeued)} abandoned jobs")


@payments_cli.command("retry-pending")
def payments_retry_pending() -> None:
    """Enqueue a job again for every payment still pending."""
    from torchfin.services.finance.payments.execution import retry_pending

    console.print(f"enqueued {retry_pending()} pending payments")


@payments_cli.command("sandbox")
@click.option("--decline", default="", help="Purposes to decline, comma-separated, or '*'.")
@click.option("--timeout", default="", help="Purposes that time out, comma-separated, or '*'.")
@click.option("--delay-before", default=0.0, help="Seconds before the sandbox processes a call.")
@click.option("--delay-after", default=0.0, help="Seconds between processing and answering.")
@click.option("--delay-confirm", default=0.0, help="Seconds a confirmation takes.")
def payments_sandbox(
    decline: str, timeout: str, delay_before: float, delay_after: float, delay_confirm: float
) -> None:
    """Tell the sandbox gateway how to behave (shared by every worker through Redis)."""
    from torchfin.services.finance.payments.sandbox import SandboxBehaviour, sandbox_gateway

    sandbox_gateway().configure(
        SandboxBehaviour(
            decline=frozenset(filter(None, decline.split(","))),
            timeout=frozenset(filter(None, timeout.split(","))),
            delay_before=delay_before,
            delay_after=delay_after,
            delay_confirm=delay_confirm,
        )
    )
    console.print("sandbox configured")
