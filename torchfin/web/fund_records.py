"""The fund manager's forms: commit to a new sub-fund, record capital calls, placements, exits.

Each goes through the API's schema in schemas/fund.py and the same function of
torchfin/services/funds/sub_funds.py as the JSON API (form_flow.submit); a refusal renders the
page again with the messages on their fields (422), someone else's fund is refused (403).
"""

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm
from marshmallow import Schema
from wtforms.fields import SelectChoice

from schemas.fund import CapitalCallSchema, ExitSchema, PlacementSchema, SubFundSchema
from torchfin.services.funds import sub_funds
from torchfin.services.registry import choices
from torchfin.web import web
from torchfin.web.context import language
from torchfin.web.form_flow import answer, submit, submitted_rows
from torchfin.web.fund_forms import CapitalCallForm, ExitForm, PlacementForm, SubFundForm
from torchfin.web.funds import sub_fund_page
from torchfin.web.session_user import session_user

sub_fund_schema = SubFundSchema()
call_schema = CapitalCallSchema()
placement_schema = PlacementSchema()
exit_schema = ExitSchema()


@web.route("/funds/<int:guidance_fund_id>/sub-funds/new", methods=["GET", "POST"])
@login_required
def new_sub_fund(guidance_fund_id: int):
    """The guidance fund commits to a new sub-fund, with its other LPs and rules."""
    user = session_user()
    fund = sub_funds.guidance_fund(user, guidance_fund_id)  # 403 unless the user manages it
    form = SubFundForm()
    english = language() == "en"
    form.zone.choices = [
        SelectChoice(z.code, z.name_en if english else z.name_zh) for z in choices.zone_choices()
    ]
    if not form.is_submitted():
        return render_template("sub_fund_form.html", fund=fund, form=form)
    partners, positions = submitted_rows(form.limited_partners, "name")
    outcome = submit(
        form,
        sub_fund_schema,
        lambda data: sub_funds.create_sub_fund(user, {**data, "guidance_fund_id": fund.id}),
        shape=lambda payload: {**payload, "limited_partners": partners},
        rows={"limited_partners": positions},
    )
    return answer(
        outcome,
        _("子基金已登记。"),
        url_for("web.sub_fund", sub_fund_id=getattr(outcome.result, "id", 0)),
        lambda: (render_template("sub_fund_form.html", fund=fund, form=form), outcome.status),
    )


def _record(sub_fund_id: int, prefix: str, form: FlaskForm, schema: Schema, service, done: str):
    """Submit one of the sub-fund page's forms; on refusal the page again, with its messages."""
    outcome = submit(form, schema, service)
    return answer(
        outcome,
        done,
        url_for("web.sub_fund", sub_fund_id=sub_fund_id),
        lambda: sub_fund_page(sub_fund_id, (prefix, form), outcome.status),
    )


@web.post("/funds/sub-funds/<int:sub_fund_id>/capital-calls")
@login_required
def record_capital_call(sub_fund_id: int):
    """Record money called from the LPs."""
    return _record(
        sub_fund_id,
        "call",
        CapitalCallForm(prefix="call"),
        call_schema,
        lambda data: sub_funds.add_capital_call(session_user(), sub_fund_id, data),
        _("出资缴付已记录。"),
    )


@web.post("/funds/sub-funds/<int:sub_fund_id>/placements")
@login_required
def record_placement(sub_fund_id: int):
    """Record an investment of the sub-fund into an enterprise."""
    return _record(
        sub_fund_id,
        "placement",
        PlacementForm(prefix="placement"),
        placement_schema,
        lambda data: sub_funds.add_placement(session_user(), sub_fund_id, data),
        _("投资已记录。"),
    )


@web.post("/funds/sub-funds/<int:sub_fund_id>/placements/<int:placement_id>/exits")
@login_required
def record_exit(sub_fund_id: int, placement_id: int):
    """Record a full or partial exit from one of the sub-fund's placements."""
    prefix = f"exit{placement_id}"
    return _record(
        sub_fund_id,
        prefix,
        ExitForm(prefix=prefix),
        exit_schema,
        lambda data: sub_funds.add_exit(session_user(), placement_id, data, sub_fund_id),
        _("退出已记录。"),
    )
