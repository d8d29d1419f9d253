"""RQ job of saved-search alerts: thin; the rules live in `torchfin.services.alerts`."""

from torchfin.models import AlertFrequency
from torchfin.services.alerts.alert_runs import run_alerts


def run_saved_search_alerts(frequency: str) -> int:
    """Alert the due saved searches of `frequency`; return how many projects were announced.

    Idempotent: deliveries are unique per saved search and project, so a retried run or one
    overlapping another announces nothing twice.
    """
    return run_alerts(AlertFrequency(frequency))
