"""Pages of guidance funds: the fund overview, one sub-fund, and the printable quarterly report."""

from datetime import date

from flask import abort, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from marshmallow import ValidationError

from schemas.fund import FiguresQuerySchema
from torchfin.services.funds import alerts, report, sub_funds
from torchfin.web import web
from torchfin.web.fund_forms import CapitalCallForm, ExitForm, PlacementForm
from torchfin.web.session_user import session_user

FUND_RULES = {
    "guidance_stake": _l("引导基金出资比例上限"),
    "not_largest_lp": _l("引导基金不为第一大出资人"),
    "reinvestment": _l("区内返投倍数"),
    "early_stage_share": _l("投向初创期科技型中小企业比例"),
}
FUND_RULE_STATUSES = {"met": _l("符合"), "pending": _l("进行中"), "breached": _l("违规")}
ACTIVITY_KINDS = {"call": _l("出资缴付"), "placement": _l("投资"), "exit": _l("退出")}
# The API's as-of date, window included, so pages and API take the same days.
_AS_OF = FiguresQuerySchema().fields["as_of"]


def _as_of() -> date:
    try:
        return _AS_OF.deserialize(request.args.get("as_of", ""))
    except ValidationError:
        return date.today()


@web.get("/funds")
@login_required
def my_guidance_fund():
    """A fund manager's own guidance fund."""
    fund_id = session_user().institution_id
    if fund_id is None:
        abort(404)
    return redirect(url_for("web.guidance_fund", guidance_fund_id=fund_id))


@web.get("/funds/<int:guidance_fund_id>")
@login_required
def guidance_fund(guidance_fund_id: int):
    """Totals, every sub-fund's figures and rule status, and the open alerts."""
    user, as_of = session_user(), _as_of()
    fund = sub_funds.guidance_fund(user, guidance_fund_id)
    totals, rows = sub_funds.figures_of_guidance_fund(user, guidance_fund_id, as_of)
    return render_template(
        "guidance_fund.html",
        fund=fund,
        totals=totals,
        rows=rows,
        alerts=alerts.alerts_of(user, guidance_fund_id),
        fund_rules=FUND_RULES,
        fund_rule_statuses=FUND_RULE_STATUSES,
        current_quarter=(as_of.year, (as_of.month - 1) // 3 + 1),
    )


def sub_fund_page(sub_fund_id: int, failed: tuple[str, FlaskForm] | None = None, status=200):
    """The sub-fund page with its forms; a refused form keeps what was typed and its messages."""
    user = session_user()
    fund = sub_funds.managed_sub_fund(user, sub_fund_id)

    def form(prefix: str, form_class: type[FlaskForm]) -> FlaskForm:
        if failed is not None and failed[0] == prefix:
            return failed[1]
        return form_class(formdata=None, prefix=prefix)

    return render_template(
        "sub_fund.html",
        fund=fund,
        figures=sub_funds.figures_of_sub_fund(user, sub_fund_id, _as_of()),
        fund_rules=FUND_RULES,
        fund_rule_statuses=FUND_RULE_STATUSES,
        call_form=form("call", CapitalCallForm),
        placement_form=form("placement", PlacementForm),
        exit_forms={p.id: form(f"exit{p.id}", ExitForm) for p in fund.placements},
    ), status


@web.get("/funds/sub-funds/<int:sub_fund_id>")
@login_required
def sub_fund(sub_fund_id: int):
    """One sub-fund: LPs, figures, each rule with its evidence, calls and placements."""
    return sub_fund_page(sub_fund_id)


@web.get("/funds/<int:guidance_fund_id>/reports/quarterly")
@login_required
def quarterly_report(guidance_fund_id: int):
    """The quarterly report as a printable page (the Excel file holds the same figures)."""
    year = request.args.get("year", type=int) or date.today().year
    quarter = request.args.get("quarter", type=int) or 1
    if not 1 <= quarter <= 4:
        abort(400)
    return render_template(
        "quarterly_report.html",
        report=report.quarterly_report(session_user(), guidance_fund_id, year, quarter),
        guidance_fund_id=guidance_fund_id,
        fund_rules=FUND_RULES,
        fund_rule_statuses=FUND_RULE_STATUSES,
        activity_kinds=ACTIVITY_KINDS,
    )
