"""Alerts on sub-funds: a rule breached, or called money idle longer than the fund allows.

`refresh_alerts` is what the periodic job runs. It opens an alert for each condition that holds
and has none open, and resolves open alerts whose condition has cleared; running it twice in a
row changes nothing the second time.

An alert keeps the code of its condition and the figures it was found on, not a sentence:
`alerts_of` words each alert in Chinese and English, and the pages and the API show it in their
reader's language (the quarterly workbook, which leaves the platform, in both).
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from torchfin.extensions import db
from torchfin.models import FundAlert, SubFund, User
from torchfin.models.base import utcnow
from torchfin.services.funds.figures import (
    SubFundFigures,
    exact,
    rule_evidence,
    sub_fund_figures,
    yuan,
)
from torchfin.services.funds.sub_funds import guidance_fund
from torchfin.services.said import Said

IDLE_MONEY = "idle_money"


@dataclass(frozen=True)
class AlertRun:
    """What one refresh did."""

    opened: int
    resolved: int


@dataclass(frozen=True)
class WordedAlert:
    """An alert as it is shown: its fields and its sentence in Chinese and English."""

    id: int
    sub_fund_id: int
    code: str
    params: dict[str, Any]
    message: Said
    raised_at: datetime
    resolved_at: datetime | None


def conditions(fund: SubFund, figures: SubFundFigures) -> dict[str, dict[str, Any]]:
    """The alert conditions holding for a sub-fund: code -> the params it is worded from."""
    found = {rule.code: {"sub_fund": fund.name, **rule.params} for rule in figures.breached}
    if figures.idle > 0 and figures.idle_months > fund.idle_alert_months:
        found[IDLE_MONEY] = {
            "sub_fund": fund.name,
            "idle": exact(figures.idle),
            "idle_since": figures.idle_since.isoformat(),
            "idle_months": figures.idle_months,
            "limit": fund.idle_alert_months,
        }
    return found


def _idle_money(params: dict[str, Any]) -> Said:
    idle, since = yuan(params["idle"]), params["idle_since"]
    months, limit = params["idle_months"], params["limit"]
    return Said(
        f"自{since}起实缴的{idle}元已闲置{months}个月（上限{limit}个月）。",
        f"CNY {idle} called since {since} is idle for {months} months (limit {limit}).",
    )


def _message(alert: FundAlert) -> Said:
    if alert.legacy_message is not None:
        # Raised before alerts kept their figures: its English sentence is all there is.
        return Said(alert.legacy_message, alert.legacy_message)
    params = alert.params
    said = _idle_money(params) if alert.code == IDLE_MONEY else rule_evidence(alert.code, params)
    return Said(f"{params['sub_fund']}：{said.zh}", f"{params['sub_fund']}: {said.en}")


def _worded(alert: FundAlert) -> WordedAlert:
    return WordedAlert(
        id=alert.id,
        sub_fund_id=alert.sub_fund_id,
        code=alert.code,
        params=alert.params,
        message=_message(alert),
        raised_at=alert.raised_at,
        resolved_at=alert.resolved_at,
    )


def refresh_alerts(as_of: date) -> AlertRun:
    """Open and resolve the alerts of every sub-fund as of `as_of`; commit once."""
    opened = resolved = 0
    open_by_fund: dict[int, dict[str, FundAlert]] = {}
    for alert in db.session.scalars(select(FundAlert).where(FundAlert.open_key.is_not(None))):
        open_by_fund.setdefault(alert.sub_fund_id, {})[alert.code] = alert
    for fund in db.session.scalars(select(SubFund).order_by(SubFund.id)):
        holding = conditions(fund, sub_fund_figures(fund, as_of))
        already = open_by_fund.get(fund.id, {})
        for code, params in holding.items():
            if code not in already:
                key = f"{fund.id}:{code}"
                db.session.add(
                    FundAlert(sub_fund_id=fund.id, code=code, params=params, open_key=key)
                )
                opened += 1
        for code, alert in already.items():
            if code not in holding:
                alert.open_key, alert.resolved_at = None, utcnow()
                resolved += 1
    db.session.commit()
    return AlertRun(opened, resolved)


def alerts_of(
    user: User, guidance_fund_id: int, include_resolved: bool = False
) -> list[WordedAlert]:
    """The alerts of a guidance fund's sub-funds, newest first, worded in both languages."""
    guidance_fund(user, guidance_fund_id)
    query = (
        select(FundAlert)
        .join(SubFund, SubFund.id == FundAlert.sub_fund_id)
        .where(SubFund.guidance_fund_id == guidance_fund_id)
    )
    if not include_resolved:
        query = query.where(FundAlert.resolved_at.is_(None))
    newest_first = query.order_by(FundAlert.raised_at.desc(), FundAlert.id.desc())
    return [_worded(alert) for alert in db.session.scalars(newest_first)]
