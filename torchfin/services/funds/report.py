"""The quarterly report of a guidance fund: figures at the quarter's end and its activity."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from torchfin.models import User
from torchfin.services.funds import sub_funds
from torchfin.services.funds.alerts import WordedAlert, alerts_of
from torchfin.services.funds.figures import GuidanceFundFigures, SubFundFigures


@dataclass(frozen=True)
class ActivityRow:
    """A call, placement or exit dated within the quarter."""

    kind: str  # "call", "placement" or "exit"
    sub_fund: str
    on: date
    amount: Decimal
    counterparty: str


@dataclass(frozen=True)
class QuarterlyReport:
    """Everything the Excel workbook and the printable page show."""

    guidance_fund: str
    year: int
    quarter: int
    starts: date
    ends: date
    totals: GuidanceFundFigures
    sub_funds: list[SubFundFigures]
    activity: list[ActivityRow]
    alerts: list[WordedAlert]

    @property
    def label(self) -> str:
        """ "2023Q2"."""
        return f"{self.year}Q{self.quarter}"


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a calendar quarter."""
    starts = date(year, 3 * quarter - 2, 1)
    following = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return starts, following - timedelta(days=1)


def quarterly_report(user: User, guidance_fund_id: int, year: int, quarter: int) -> QuarterlyReport:
    """The report of one guidance fund for one quarter, figures as of the quarter's last day."""
    fund = sub_funds.guidance_fund(user, guidance_fund_id)
    starts, ends = quarter_bounds(year, quarter)
    totals, rows = sub_funds.figures_of_guidance_fund(user, guidance_fund_id, ends)
    activity: list[ActivityRow] = []
    for sub in sub_funds.sub_funds_of(user, guidance_fund_id):
        activity += [
            ActivityRow("call", sub.name, c.called_on, c.amount, "")
            for c in sub.capital_calls
            if starts <= c.called_on <= ends
        ]
        for p in sub.placements:
            # An enterprise deleted before foreign keys were enforced is named by its old id.
            investee = p.enterprise.name if p.enterprise else f"#{p.enterprise_id}"
            if starts <= p.placed_on <= ends:
                activity.append(ActivityRow("placement", sub.name, p.placed_on, p.amount, investee))
            activity += [
                ActivityRow("exit", sub.name, e.exited_on, e.proceeds, investee)
                for e in p.exits
                if starts <= e.exited_on <= ends
            ]
    return QuarterlyReport(
        guidance_fund=fund.name,
        year=year,
        quarter=quarter,
        starts=starts,
        ends=ends,
        totals=totals,
        sub_funds=rows,
        activity=sorted(activity, key=lambda row: (row.on, row.kind, row.sub_fund)),
        alerts=alerts_of(user, guidance_fund_id),
    )
