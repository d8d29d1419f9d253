"""The page where an enterprise or its zone's administrators record readiness facts.

The form posts plain strings; blanks mean "not recorded" (null), and the readiness schemas parse
them exactly as the API does (`form_flow.submit_values`), so page and API keep one set of rules.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import select

from schemas.readiness import GovernanceRecordSchema, ReadinessProfileSchema
from torchfin.extensions import db
from torchfin.models import Institution
from torchfin.models.enums import GovernanceBody, InstitutionKind
from torchfin.services.readiness import profiles
from torchfin.web import web
from torchfin.web.form_flow import submit_values
from torchfin.web.session_user import session_user

_profile_schema = ReadinessProfileSchema(partial=True)
_meeting_schema = GovernanceRecordSchema()
BODIES = {
    GovernanceBody.SHAREHOLDERS_MEETING: _l("股东大会"),
    GovernanceBody.BOARD: _l("董事会"),
    GovernanceBody.SUPERVISORY_BOARD: _l("监事会"),
}
TRI_STATE = {"": None, "true": True, "false": False}


def _profile_input(form) -> dict:
    """The posted profile: blanks become null, yes / no / unknown selects become booleans."""
    data = {name: (form.get(name, "").strip() or None) for name in profiles.PROFILE_FIELDS}
    for name in ("converted_at_book_value", "shares_lawful"):
        data[name] = TRI_STATE.get(form.get(name, ""))
    return data


def _page(enterprise_id: int, errors: dict | None = None, status: int = 200):
    brokers = db.session.scalars(
        select(Institution)
        .where(Institution.kind == InstitutionKind.SECURITIES)
        .order_by(Institution.name)
    )
    return render_template(
        "readiness_facts.html",
        enterprise=profiles.followed_enterprise(session_user(), enterprise_id),
        profile=profiles.profile_of(enterprise_id),
        meetings=profiles.meetings_of(enterprise_id),
        brokers=list(brokers),
        bodies=BODIES,
        errors=errors or {},
    ), status


@web.get("/enterprises/<int:enterprise_id>/readiness/facts")
@login_required
def readiness_facts(enterprise_id: int):
    """The recorded facts and meetings, with forms to change them."""
    return _page(enterprise_id)


@web.post("/enterprises/<int:enterprise_id>/readiness/facts")
@login_required
def save_readiness_facts(enterprise_id: int):
    """Save the profile form; field errors come back on the page with a 422."""
    outcome = submit_values(
        _profile_input(request.form),
        _profile_schema,
        lambda data: profiles.save_profile(session_user(), enterprise_id, data),
    )
    if not outcome.done:
        return _page(enterprise_id, outcome.messages, outcome.status)
    flash(_("已保存。"), "success")
    return redirect(url_for("web.readiness_facts", enterprise_id=enterprise_id))


@web.post("/enterprises/<int:enterprise_id>/readiness/meetings")
@login_required
def add_readiness_meeting(enterprise_id: int):
    """Record a governance meeting from the page."""
    form = {name: request.form.get(name, "").strip() for name in ("body", "held_on", "minutes_ref")}
    outcome = submit_values(
        form,
        _meeting_schema,
        lambda data: profiles.add_meeting(session_user(), enterprise_id, data),
    )
    if not outcome.done:
        return _page(enterprise_id, outcome.messages, outcome.status)
    flash(_("已记录会议。"), "success")
    return redirect(url_for("web.readiness_facts", enterprise_id=enterprise_id))
