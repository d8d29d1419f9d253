"""Periodic jobs, declared as data with stable names, run by `flask rq cron`."""

from dataclasses import dataclass, field

from flask import Flask
from rq.cron import CronScheduler

from torchfin.queues import Job, queue, redis_connection


@dataclass(frozen=True)
class PeriodicJob:
    """The registered `job`, enqueued every `interval` seconds with `kwargs`."""

    name: str
    job: Job
    interval: int
    kwargs: dict = field(default_factory=dict)


PERIODIC_JOBS = (
    # Catches outbox rows whose drain job was never enqueued (Redis briefly down at commit).
    PeriodicJob("sweep-search-outbox", Job.DRAIN_SEARCH_OUTBOX, 30),
    # Jobs whose worker died mid-job (SIGKILL, lost machine): queued again at once, not after the
    # started registry's timeout. Every job is idempotent, so a second run is safe.
    PeriodicJob("requeue-abandoned-jobs", Job.REQUEUE_ABANDONED_JOBS, 60),
    # Payments whose job was lost (Redis down at commit) or gave up after its retries.
    PeriodicJob("retry-pending-payments", Job.RETRY_PENDING_PAYMENTS, 300),
    # API idempotency keys are answered from for a day; older ones only take space.
    PeriodicJob("purge-idempotency-keys", Job.PURGE_IDEMPOTENCY_KEYS, 3600),
    # The audit chains' heads, signed, to a file outside the database: catches a rewrite of
    # events and heads together (`flask audit verify --anchors`).
    PeriodicJob("anchor-audit-heads", Job.ANCHOR_AUDIT_HEADS, 86400),
    # Saved-search alerts. Daily and weekly searches are checked hourly and run when their period
    # has passed, so a restarted scheduler neither repeats nor skips a day.
    PeriodicJob("alerts-instant", Job.RUN_SAVED_SEARCH_ALERTS, 60, {"frequency": "instant"}),
    PeriodicJob("alerts-daily", Job.RUN_SAVED_SEARCH_ALERTS, 3600, {"frequency": "daily"}),
    PeriodicJob("alerts-weekly", Job.RUN_SAVED_SEARCH_ALERTS, 3600, {"frequency": "weekly"}),
    # Watchlist events: the instant sweep catches a delivery whose wake-up was lost (Redis down
    # at commit); daily followers are checked hourly and get a digest when a day has passed
    # since their last one, like daily saved searches.
    PeriodicJob("watchlist-instant", Job.DELIVER_WATCHLIST_EVENTS, 60, {"delivery": "instant"}),
    PeriodicJob("watchlist-daily", Job.DELIVER_WATCHLIST_EVENTS, 3600, {"delivery": "daily"}),
    # Guidance sub-funds: breached rules and money idle too long (idempotent; daily is plenty).
    PeriodicJob("fund-alerts", Job.REFRESH_FUND_ALERTS, 86400),
    # Deals whose interest or question waits past its deadline: remind the late side once.
    PeriodicJob("remind-late-deal-answers", Job.REMIND_LATE_ANSWERS, 3600),
    # Data-room files left by an upload whose process died before its row committed: removed
    # once past data_room.ORPHAN_GRACE_SECONDS, so an upload in flight is never touched.
    PeriodicJob("remove-orphan-documents", Job.REMOVE_ORPHAN_FILES, 3600),
)


def run_cron(app: Flask) -> None:
    """Enqueue the periodic jobs on their intervals until stopped."""
    with app.app_context():
        scheduler = CronScheduler(connection=redis_connection())
        for periodic in PERIODIC_JOBS:
            scheduler.register(
                periodic.job.function(),
                queue(periodic.job.queue_name).name,
                kwargs=periodic.kwargs,
                interval=periodic.interval,
                name=periodic.name,
            )
        scheduler.start()
