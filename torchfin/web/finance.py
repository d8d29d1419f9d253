"""Pages of the finance workflows: guarantee cases with their timeline and actions, pools."""

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import ValidationError

from schemas.guarantee import GuaranteeActionSchema
from torchfin.models import User
from torchfin.models.enums import GuaranteeState
from torchfin.services import guarantees, pools
from torchfin.services.errors import Invalid
from torchfin.web import web

action_schema = GuaranteeActionSchema()


def _user() -> User:
    return current_user._get_current_object()


@web.get("/guarantees")
@login_required
def guarantee_list():
    """The cases the user is a party to, filtered by state."""
    state = request.args.get("state") if request.args.get("state") in set(GuaranteeState) else None
    cases = guarantees.list_cases(_user(), state)
    return render_template(
        "guarantee_list.html", cases=cases, states=list(GuaranteeState), state=state
    )


@web.get("/guarantees/<int:case_id>")
@login_required
def guarantee_detail(case_id: int):
    """A case: terms, payments, its timeline from the audit trail, and the user's actions now."""
    user = _user()
    case = guarantees.get_case(user, case_id)
    actions = [(name, guarantees.MOVES[name]) for name in guarantees.allowed_for(user, case)]
    return render_template(
        "guarantee_detail.html",
        case=case,
        actions=actions,
        timeline=guarantees.timeline(user, case_id),
        payments=guarantees.payments(user, case_id),
    )


def _form_data(action: str) -> dict:
    """The submitted fields of `action`, shaped for the schema (blank fields left out)."""
    data = {k: v.strip() for k, v in request.form.items() if k != "csrf_token" and v.strip()}
    if "counter_guarantees" in data:
        data["counter_guarantees"] = [
            line.strip() for line in data["counter_guarantees"].splitlines() if line.strip()
        ]
    return data


@web.post("/guarantees/<int:case_id>/<action>")
@login_required
def guarantee_act(case_id: int, action: str):
    """Take an action from the case page; 403 and 409 come back as error pages."""
    try:
        data = action_schema.load(_form_data(action))
        guarantees.act(_user(), case_id, action, data)
    except (ValidationError, Invalid) as exc:
        errors = exc.messages if isinstance(exc, ValidationError) else exc.errors
        for field, messages in errors.items():
            flash(f"{field}: {' '.join(map(str, messages))}", "error")
        return redirect(url_for("web.guarantee_detail", case_id=case_id), 303)
    flash(_("操作已提交。"), "success")
    return redirect(url_for("web.guarantee_detail", case_id=case_id), 303)


@web.get("/pools")
@login_required
def pool_list():
    """Every risk-compensation pool."""
    return render_template("pool_list.html", pools=pools.list_pools())


@web.get("/pools/<int:pool_id>")
@login_required
def pool_dashboard(pool_id: int):
    """A pool's balance, exposure, claims and bad-loan ratio over time (chart and table)."""
    user = _user()
    board = pools.dashboard(pool_id, date.today())
    claims = pools.pool_claims(user, pool_id)
    chart = {
        "months": [point["month"] for point in board["history"]],
        "ratio": [float(point["bad_loan_ratio"] * 100) for point in board["history"]],
        "balance": [float(point["balance"]) for point in board["history"]],
        "labels": {"ratio": _("不良率（%）"), "balance": _("资金池余额（元）")},
    }
    return render_template("pool_dashboard.html", board=board, claims=claims, chart=chart)
