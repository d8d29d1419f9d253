"""The demo's finance activity: guarantee cases, risk-compensation pools and policy applications,
driven together so one worker round pays for every track at once (`flask demo finance`)."""

from collections.abc import Callable

from torchfin.demo.guarantee_cases import guarantee_tracks
from torchfin.demo.policies import policy_tracks
from torchfin.demo.risk_pools import pool_tracks
from torchfin.demo.script import Track, drive, payments_waiter


def finance_tracks() -> list[Track]:
    """Every demo guarantee case, pool and policy application (after the cases they follow)."""
    return [*guarantee_tracks(), *pool_tracks(), *policy_tracks()]


def run_finance(wait: Callable[[], object] | None = None) -> int:
    """Carry every track to its end; `wait` lets the worker pay (default: poll for a running
    worker). Returns the worker rounds taken: 0 when everything was already there."""
    tracks = finance_tracks()
    return drive(tracks, wait or payments_waiter(tracks))
