"""RQ jobs of saved-search alerts and watchlist events: thin; the rules live in
`torchfin.services.alerts` and `torchfin.services.watchlists`."""

from torchfin.models import AlertFrequency, FollowDelivery
from torchfin.queues import Job, coalesced_job_started
from torchfin.services.alerts.alert_runs import run_alerts
from torchfin.services.watchlists.deliveries import deliver_events


def run_saved_search_alerts(frequency: str) -> int:
    """Alert the due saved searches of `frequency`; return how many projects were announced.

    Idempotent: deliveries are unique per saved search and project, so a retried run or one
    overlapping another announces nothing twice.
    """
    return run_alerts(AlertFrequency(frequency))


def deliver_watchlist_events(delivery: str = "instant") -> int:
    """Announce the pending events of followed enterprises to the followers of `delivery`;
    return how many (follower, event) pairs were announced.

    Idempotent: deliveries are unique per follower and event, so a retried run or one
    overlapping another announces nothing twice.
    """
    if delivery == FollowDelivery.INSTANT:
        # Woken after commits (enqueue_coalesced): a commit from now on wakes the next run.
        coalesced_job_started(Job.DELIVER_WATCHLIST_EVENTS)
    return deliver_events(FollowDelivery(delivery))
