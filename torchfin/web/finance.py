"""Pages of the credit-guarantee cases: the list, applying, and a case with its action forms.

Each form goes through the API's schema and the same service function as the JSON API
(form_flow.submit): field errors come back on the form with a 422, a move from the wrong state
as a 409 that names the current state and the moves it allows.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from wtforms.fields import SelectChoice

from schemas.guarantee import GuaranteeActionSchema, GuaranteeApplySchema
from torchfin.models.enums import GuaranteeState
from torchfin.services.finance import guarantees
from torchfin.web import web
from torchfin.web.finance_forms import GuaranteeActionForm, GuaranteeApplyForm
from torchfin.web.finance_labels import refusal_notice
from torchfin.web.form_flow import lines, submit
from torchfin.web.session_user import session_user

action_schema = GuaranteeActionSchema()
apply_schema = GuaranteeApplySchema()
ACTIONS = ",".join(guarantees.MOVES)


@web.get("/guarantees")
@login_required
def guarantee_list():
    """The cases the user is a party to, filtered by state."""
    user = session_user()
    state = request.args.get("state") if request.args.get("state") in set(GuaranteeState) else None
    return render_template(
        "guarantee_list.html",
        cases=guarantees.list_cases(user, state),
        states=list(GuaranteeState),
        state=state,
        may_apply=guarantees.may_apply(user),
    )


@web.route("/guarantees/new", methods=["GET", "POST"])
@login_required
def guarantee_apply():
    """An enterprise applies for a guarantee of a bank loan (申请)."""
    user = session_user()
    guarantees.require_applicant(user)
    form = GuaranteeApplyForm()
    banks, agencies = guarantees.counterparties()
    form.bank_id.choices = [SelectChoice(str(i.id), i.name) for i in banks]
    form.agency_id.choices = [SelectChoice(str(i.id), i.name) for i in agencies]
    status = 200
    if form.is_submitted():
        outcome = submit(form, apply_schema, lambda data: guarantees.apply(user, data))
        if outcome.done:
            flash(_("担保申请已提交，等待担保机构受理。"), "success")
            return redirect(url_for("web.guarantee_detail", case_id=outcome.result.id), 303)
        status = outcome.status
    return render_template("guarantee_apply.html", form=form), status


def _case_page(
    case_id: int,
    failed: tuple[str, GuaranteeActionForm] | None = None,
    notice: str | None = None,
    status: int = 200,
):
    """The case page; a refused action's form is shown again with what was typed."""
    user = session_user()
    case = guarantees.get_case(user, case_id)
    chosen, chosen_form = failed or (None, None)
    actions = [
        (
            name,
            guarantees.MOVES[name],
            chosen_form if name == chosen else GuaranteeActionForm(formdata=None, prefix=name),
        )
        for name in guarantees.allowed_for(user, case)
    ]
    return render_template(
        "guarantee_detail.html",
        case=case,
        actions=actions,
        notice=notice,
        timeline=guarantees.timeline(user, case_id),
        payments=guarantees.payments(user, case_id),
    ), status


@web.get("/guarantees/<int:case_id>")
@login_required
def guarantee_detail(case_id: int):
    """A case: terms, payments, its timeline from the audit trail, and the user's actions now."""
    return _case_page(case_id)


def _shape_action(payload: dict) -> dict:
    # The counter-guarantees textarea holds one measure a line; the schema wants a list.
    if "counter_guarantees" in payload:
        payload["counter_guarantees"] = lines(payload["counter_guarantees"])
    return payload


@web.post(f"/guarantees/<int:case_id>/<any({ACTIONS}):action>")
@login_required
def guarantee_act(case_id: int, action: str):
    """Take an action from the case page; a 403 comes back as the error page."""
    user = session_user()
    form = GuaranteeActionForm(prefix=action)
    outcome = submit(
        form,
        action_schema,
        lambda data: guarantees.act(user, case_id, action, data),
        shape=_shape_action,
    )
    if outcome.done:
        flash(_("操作已提交。"), "success")
        return redirect(url_for("web.guarantee_detail", case_id=case_id), 303)
    notice = None
    if outcome.conflict is not None:
        state = guarantees.get_case(user, case_id).state
        notice = refusal_notice(
            outcome.conflict.message, guarantees.MOVES, action, state, "guarantee_state"
        )
    return _case_page(case_id, (action, form), notice, outcome.status)
