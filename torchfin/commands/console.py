"""What every command group shares: the console, the progress bar, and following a batch."""

import sys
import time
from collections.abc import Callable
from typing import TypeVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from torchfin.extensions import db
from torchfin.models.enums import BatchStatus

# Messages and progress go to stderr, so stdout carries only what a script may read (a token).
console = Console(stderr=True)
POLL_SECONDS = 0.5

Batch = TypeVar("Batch")


class RateColumn(ProgressColumn):
    """Items done per second, as rich measures it over the last moments."""

    def render(self, task: Task) -> Text:
        """The rate, blank until rich has measured one."""
        return Text(f"{task.speed:,.0f}/s" if task.speed else "", style="progress.data.speed")


def progress_bar() -> Progress:
    """A progress display on the console: description, bar, done of total, rate, time elapsed
    and time left."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
    )


def follow_batch(
    batch: Batch,
    noun: str,
    description: str,
    timeout: int,
    progress_of: Callable[[Batch], tuple[int, int]],
) -> Batch:
    """Show the progress of a batch row that workers advance (a `status` of `BatchStatus`, an
    `error`) until it ends or `timeout` seconds pass; `progress_of` gives (done, total).

    Returns the batch as last read once done; otherwise says which state it was left in and
    exits with status 1.
    """
    model, batch_id = type(batch), batch.id
    deadline = time.monotonic() + timeout
    with progress_bar() as progress:
        task = progress.add_task(description, total=progress_of(batch)[1])
        while time.monotonic() < deadline:
            db.session.rollback()  # end the read transaction: see the workers' commits
            batch = db.session.get(model, batch_id)
            done, total = progress_of(batch)
            progress.update(task, completed=done, total=total)
            if batch.status in (BatchStatus.DONE, BatchStatus.FAILED):
                break
            time.sleep(POLL_SECONDS)
    if batch.status != BatchStatus.DONE:
        console.print(f"[red]{noun} {batch_id} {batch.status}[/red] {batch.error or ''}")
        sys.exit(1)
    return batch
