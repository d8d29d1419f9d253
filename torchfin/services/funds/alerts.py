"""Alerts on sub-funds: a rule breached, or called money idle longer than the fund allows.

`refresh_alerts` is what the periodic job runs. It opens an alert for each condition that holds
and has none open, and resolves open alerts whose condition has cleared; running it twice in a
row changes nothing the second time.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from torchfin.extensions import db
from torchfin.models import FundAlert, SubFund, User
from torchfin.models.base import utcnow
from torchfin.services.funds.figures import SubFundFigures, sub_fund_figures
from torchfin.services.funds.sub_funds import guidance_fund

IDLE_MONEY = "idle_money"


@dataclass(frozen=True)
class AlertRun:
    """What one refresh did."""

    opened: int
    resolved: int


def conditions(fund: SubFund, figures: SubFundFigures) -> dict[str, str]:
    """The alert conditions holding for a sub-fund: code -> message."""
    found = {rule.code: f"{fund.name}: {rule.evidence.en}" for rule in figures.breached}
    if figures.idle > 0 and figures.idle_months > fund.idle_alert_months:
        found[IDLE_MONEY] = (
            f"{fund.name}: CNY {figures.idle:,.2f} called since {figures.idle_since} is idle "
            f"for {figures.idle_months} months (limit {fund.idle_alert_months})."
        )
    return found


def refresh_alerts(as_of: date) -> AlertRun:
    """Open and resolve the alerts of every sub-fund as of `as_of`; commit once."""
    opened = resolved = 0
    open_by_fund: dict[int, dict[str, FundAlert]] = {}
    for alert in db.session.scalars(select(FundAlert).where(FundAlert.open_key.is_not(None))):
        open_by_fund.setdefault(alert.sub_fund_id, {})[alert.code] = alert
    for fund in db.session.scalars(select(SubFund).order_by(SubFund.id)):
        holding = conditions(fund, sub_fund_figures(fund, as_of))
        already = open_by_fund.get(fund.id, {})
        for code, message in holding.items():
            if code not in already:
                key = f"{fund.id}:{code}"
                db.session.add(
                    FundAlert(sub_fund_id=fund.id, code=code, message=message[:500], open_key=key)
                )
                opened += 1
        for code, alert in already.items():
            if code not in holding:
                alert.open_key, alert.resolved_at = None, utcnow()
                resolved += 1
    db.session.commit()
    return AlertRun(opened, resolved)


def alerts_of(user: User, guidance_fund_id: int, include_resolved: bool = False) -> list[FundAlert]:
    """The alerts of a guidance fund's sub-funds, newest first."""
    guidance_fund(user, guidance_fund_id)
    query = (
        select(FundAlert)
        .join(SubFund, SubFund.id == FundAlert.sub_fund_id)
        .where(SubFund.guidance_fund_id == guidance_fund_id)
    )
    if not include_resolved:
        query = query.where(FundAlert.resolved_at.is_(None))
    return list(db.session.scalars(query.order_by(FundAlert.raised_at.desc(), FundAlert.id.desc())))
