"""RQ jobs of guidance funds: the periodic alert refresh."""

from datetime import date

from torchfin.services.funds.alerts import refresh_alerts


def refresh_fund_alerts() -> int:
    """Open alerts for breached rules and long-idle money, resolve cleared ones; return opened."""
    return refresh_alerts(date.today()).opened
