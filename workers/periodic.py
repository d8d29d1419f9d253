"""Periodic jobs, declared as data with stable names, run by `flask rq cron`."""

from dataclasses import dataclass, field

from flask import Flask
from rq.cron import CronScheduler

from workers import alert_jobs, data_room_jobs, finance_jobs, fund_jobs, jobs, match_jobs
from workers.abandoned import requeue_abandoned
from workers.queues import DEFAULT, SEARCH, queue


@dataclass(frozen=True)
class PeriodicJob:
    """A job enqueued every `interval` seconds on `queue_name`."""

    name: str
    func: object
    queue_name: str
    interval: int
    kwargs: dict = field(default_factory=dict)


PERIODIC_JOBS = (
    # Catches outbox rows whose drain job was never enqueued (Redis briefly down at commit).
    PeriodicJob("sweep-search-outbox", jobs.drain_search_outbox, SEARCH, 30),
    # Jobs whose worker died mid-job (SIGKILL, lost machine): queued again at once, not after the
    # started registry's timeout. Every job is idempotent, so a second run is safe.
    PeriodicJob("requeue-abandoned-jobs", requeue_abandoned, DEFAULT, 60),
    # Payments whose job was lost (Redis down at commit) or gave up after its retries.
    PeriodicJob("retry-pending-payments", finance_jobs.retry_pending_payments, DEFAULT, 300),
    # API idempotency keys are answered from for a day; older ones only take space.
    PeriodicJob("purge-idempotency-keys", finance_jobs.purge_idempotency_keys, DEFAULT, 3600),
    # Saved-search alerts. Daily and weekly searches are checked hourly and run when their period
    # has passed, so a restarted scheduler neither repeats nor skips a day.
    PeriodicJob(
        "alerts-instant", alert_jobs.run_saved_search_alerts, DEFAULT, 60, {"frequency": "instant"}
    ),
    PeriodicJob(
        "alerts-daily", alert_jobs.run_saved_search_alerts, DEFAULT, 3600, {"frequency": "daily"}
    ),
    PeriodicJob(
        "alerts-weekly", alert_jobs.run_saved_search_alerts, DEFAULT, 3600, {"frequency": "weekly"}
    ),
    # Guidance sub-funds: breached rules and money idle too long (idempotent; daily is plenty).
    PeriodicJob("fund-alerts", fund_jobs.refresh_fund_alerts, DEFAULT, 86400),
    # Deals whose interest or question waits past its deadline: remind the late side once.
    PeriodicJob("remind-late-deal-answers", match_jobs.remind_late_answers, DEFAULT, 3600),
    # Data-room files left by an upload whose process died before its row committed: removed
    # once past data_room.ORPHAN_GRACE_SECONDS, so an upload in flight is never touched.
    PeriodicJob("remove-orphan-documents", data_room_jobs.remove_orphan_files, DEFAULT, 3600),
)


def run_cron(app: Flask) -> None:
    """Enqueue the periodic jobs on their intervals until stopped."""
    with app.app_context():
        scheduler = CronScheduler(connection=app.extensions["torchfin.redis"])
        for job in PERIODIC_JOBS:
            scheduler.register(
                job.func,
                queue(job.queue_name).name,
                kwargs=job.kwargs,
                interval=job.interval,
                name=job.name,
            )
        scheduler.start()
