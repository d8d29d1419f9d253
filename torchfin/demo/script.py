"""Scripted demo activity that carries money through the worker: steps, tracks and their driver.

A track is one record's story (a guarantee case, a pool) as an ordered list of steps. Each step
knows from the database whether it is done, so a track resumes where it stopped and a finished
one does nothing: running the script again adds no rows. A step that moves money only asks for a
payment; it is done once a worker has carried the payment out, so the driver takes every track
as far as it can, lets the worker pay (`wait`), and goes round again.
"""

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from torchfin.extensions import db
from torchfin.models import Payment
from torchfin.models.enums import PaymentState

MAX_ROUNDS = 30  # more than the longest track's money steps, with room for declined retries


class ScriptStalled(RuntimeError):
    """The payments a script waits for were not carried out (is a worker running?)."""


@dataclass(frozen=True)
class Step:
    """One thing a demo party does; `done` reads the database, `run` calls a service."""

    name: str
    done: Callable[[], bool]
    run: Callable[[], object]


class Track(Protocol):
    """One record's scripted story."""

    name: str

    def steps(self) -> Sequence[Step]:
        """The story in order."""

    def subjects(self) -> list[str]:
        """The audit subjects whose payments the story waits for."""


def pending_payments(subjects: Sequence[str]) -> int:
    """How many payments of `subjects` a worker has still to carry out."""
    if not subjects:
        return 0
    return db.session.scalar(
        select(func.count(Payment.id)).where(
            Payment.subject.in_(subjects), Payment.state == PaymentState.PENDING
        )
    )


def advance(track: Track) -> bool:
    """Take the track's next steps until one waits for a payment; True when it is finished.

    A money step that failed (a declined payment) is simply not done, so it runs again: the
    payment service gives the new attempt a fresh idempotency key.
    """
    for step in track.steps():
        if step.done():
            continue
        if pending_payments(track.subjects()):
            return False
        step.run()
        if not step.done():
            return False
    return True


def drive(tracks: Sequence[Track], wait: Callable[[], object], rounds: int = MAX_ROUNDS) -> int:
    """Advance every track, letting `wait` have the worker pay between rounds; the rounds taken."""
    for round_number in range(rounds):
        unfinished = [track for track in tracks if not advance(track)]
        if not unfinished:
            return round_number
        wait()
    names = ", ".join(track.name for track in unfinished)
    raise ScriptStalled(f"after {rounds} rounds these are still unfinished: {names}")


def poll_until(ready: Callable[[], bool], timeout: float, what: str, every: float = 0.3) -> None:
    """Wait for a worker's work: call `ready` until it is true, or raise ScriptStalled.

    Each poll ends its read transaction, so the worker's commits are seen, and a poll that finds
    SQLite locked (a worker writing a large batch) simply counts as "not yet".
    """
    deadline = time.monotonic() + timeout
    while True:
        db.session.rollback()
        try:
            if ready():
                break
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
        if time.monotonic() > deadline:
            raise ScriptStalled(f"{what} after {timeout:.0f}s: is `flask rq worker` running?")
        time.sleep(every)
    db.session.rollback()


def payments_waiter(tracks: Sequence[Track], timeout: float = 120.0) -> Callable[[], None]:
    """A `wait` for a running worker (`flask rq worker`): until the tracks' payments are done."""

    def wait() -> None:
        subjects = [subject for track in tracks for subject in track.subjects()]
        poll_until(lambda: not pending_payments(subjects), timeout, "payments still pending")

    return wait
