"""SME pages: 我的企业 (profile), 我的项目 (project life cycle), 访问授权 (who reads financials).

Every form goes page -> schema -> service: the schema validates, the service writes in one
transaction, and failures re-render the form with the messages on their fields (422).
"""

from collections.abc import Callable

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm
from marshmallow import Schema
from wtforms.fields import SelectChoice

from schemas.access_grant import AccessRequestSchema
from schemas.enterprise import EnterpriseSchema
from schemas.project import ProjectSchema
from torchfin.models import Enterprise, Industry, Project, User
from torchfin.models.enums import ReadChannel, Role
from torchfin.services.dashboards import overview
from torchfin.services.errors import Forbidden, Invalid, NotFound
from torchfin.services.records import get_or_404
from torchfin.services.registry import access_grants, choices, profiles, projects
from torchfin.web import web
from torchfin.web.context import language
from torchfin.web.form_flow import (
    Outcome,
    place_refusal,
    posted,
    submit,
    submit_values,
    submitted_rows,
)
from torchfin.web.session_user import session_user
from torchfin.web.sme_forms import ProfileForm, ProjectForm

# Registration asks for the credit code; afterwards it is fixed and not on the form.
_register_schema = EnterpriseSchema()
_update_schema = EnterpriseSchema(exclude=("credit_code", "credit_code_override_reason"))
_project_schema = ProjectSchema()
_request_schema = AccessRequestSchema()
LOG_SHOWN = 50  # access-log rows on the access page
# Left blank, these clear the stored values (blank fields are not submitted at all).
CLEARED_PROFILE = {"description": "", "industries": []}
CLEARED_PROJECT = {"use_of_funds": ""}


def _sme() -> User:
    user = session_user()
    if user.role != Role.SME:
        raise Forbidden(_("此页面仅供企业用户使用。"))
    return user


def _own_enterprise(user: User) -> Enterprise | None:
    return get_or_404(Enterprise, user.enterprise_id, "enterprise") if user.enterprise_id else None


def _submit(
    form: FlaskForm,
    schema: Schema,
    service: Callable[[dict], object],
    shape: Callable[[dict], dict],
    rows: dict[str, list[int]] | None = None,
) -> Outcome:
    """`form_flow.submit`, with a clash (a credit code registered already, a project that may
    no longer change) shown on the form like any refusal, with its 409."""
    outcome = submit(form, schema, service, shape, rows)
    if outcome.conflict is not None:
        place_refusal(form, outcome, rows)
    return outcome


# --- 我的企业 -------------------------------------------------------------------------------


def _profile_data(enterprise: Enterprise) -> dict:
    """The stored profile as the form's initial values."""
    money = ("revenue", "net_profit", "rd_spend", "total_assets", "total_liabilities")
    return {
        "name": enterprise.name,
        "legal_form": str(enterprise.legal_form),
        "founded_on": enterprise.founded_on.isoformat(),
        "zone": enterprise.zone.code,
        "industries": _codes(enterprise.industries),
        "description": enterprise.description,
        "employees": "" if enterprise.employees is None else str(enterprise.employees),
        "invention_patents_granted": str(enterprise.invention_patents_granted),
        "invention_patents_pending": str(enterprise.invention_patents_pending),
        "qualifications": [
            {
                "kind": str(q.kind),
                "certificate_no": q.certificate_no or "",
                "expires_on": q.expires_on.isoformat() if q.expires_on else "",
            }
            for q in enterprise.qualifications
        ],
        "financials": [
            {
                "year": str(f.year),
                **{name: f"{getattr(f, name):.2f}" for name in money},
                "employees": str(f.employees),
                "college_staff": str(f.college_staff),
            }
            for f in enterprise.financials
        ],
    }


def _industry_options() -> list[SelectChoice]:
    english = language() == "en"
    return [
        SelectChoice(i.code, i.name_en if english else i.name_zh)
        for i in choices.industry_choices()
    ]


def _offer_choices(form: ProfileForm) -> None:
    english = language() == "en"
    form.zone.choices = [
        SelectChoice(z.code, f"{z.name_en if english else z.name_zh}（{z.province}）")
        for z in choices.zone_choices()
    ]
    form.industries.choices = _industry_options()


def _profile_lists(form: ProfileForm) -> tuple[dict, dict[str, list[int]]]:
    """The filled qualification and financial rows, and the form rows each came from."""
    qualifications, qualification_rows = submitted_rows(form.qualifications, "kind")
    financials, financial_rows = submitted_rows(form.financials, "year")
    lists = {"qualifications": qualifications, "financials": financials}
    return lists, {"qualifications": qualification_rows, "financials": financial_rows}


@web.route("/my/enterprise", methods=["GET", "POST"])
@login_required
def my_enterprise():
    """The SME's enterprise record: register it once, then keep it up to date."""
    user = _sme()
    enterprise = _own_enterprise(user)
    form = ProfileForm(data=_profile_data(enterprise) if enterprise else None)
    if enterprise is not None:
        del form.credit_code
    _offer_choices(form)
    status = 200
    if form.is_submitted():
        lists, rows = _profile_lists(form)
        outcome = _submit(
            form,
            _update_schema if enterprise else _register_schema,
            lambda data: profiles.save_profile(user, enterprise.id if enterprise else None, data),
            shape=lambda payload: {**CLEARED_PROFILE, **payload, **lists},
            rows=rows,
        )
        if outcome.done:
            flash(_("企业信息已保存。"), "success")
            return redirect(url_for("web.my_enterprise"))
        status = outcome.status
    else:
        # One empty row each, to add a qualification or a year without scripts.
        form.qualifications.append_entry()
        form.financials.append_entry()
        if enterprise is not None and enterprise.financials:
            access_grants.record_confidential_read(user, enterprise, ReadChannel.PAGE)
    return render_template("my_enterprise.html", form=form, enterprise=enterprise), status


# --- 我的项目 -------------------------------------------------------------------------------


def _enterprise_or_register(user: User) -> Enterprise | None:
    enterprise = _own_enterprise(user)
    if enterprise is None:
        flash(_("请先登记企业信息，再发布融资项目。"), "info")
    return enterprise


@web.get("/my/projects")
@login_required
def my_projects():
    """The enterprise's projects in every status, with the actions each status allows."""
    user = _sme()
    enterprise = _enterprise_or_register(user)
    if enterprise is None:
        return redirect(url_for("web.my_enterprise"))
    rows = [
        (p, projects.allowed_moves(user, p), projects.may_edit(user, p))
        for p in overview.enterprise_projects(user, enterprise.id)
    ]
    return render_template("my_projects.html", enterprise=enterprise, rows=rows)


def _project_form_page(project: Project | None):
    user = _sme()
    enterprise = project.enterprise if project else _enterprise_or_register(user)
    if enterprise is None:
        return redirect(url_for("web.my_enterprise"))
    # A new project starts under its enterprise's industries, as the service would file it.
    initial = _project_data(project) if project else {"industries": _codes(enterprise.industries)}
    form = ProjectForm(data=initial)
    form.industries.choices = _industry_options()
    if not form.is_submitted():
        return render_template("project_form.html", form=form, project=project)
    outcome = _submit(
        form,
        _project_schema,
        lambda data: _save_project(user, project, data),
        shape=lambda payload: {**CLEARED_PROJECT, **payload},
    )
    if outcome.done:
        flash(_("项目已保存。"), "success")
        return redirect(url_for("web.my_project_preview", project_id=outcome.result.id))
    return render_template("project_form.html", form=form, project=project), outcome.status


def _save_project(user: User, project: Project | None, data: dict) -> Project:
    if project is None:
        return projects.create_project(user, data)
    return projects.update_project(user, project.id, data)


def _project_data(project: Project) -> dict:
    return {
        "title": project.title,
        "summary": project.summary,
        "amount_sought": f"{project.amount_sought:.2f}",
        "instrument": str(project.instrument),
        "stage": str(project.stage),
        "use_of_funds": project.use_of_funds,
        "valuation": "" if project.valuation is None else f"{project.valuation:.2f}",
        "deadline": project.deadline.isoformat() if project.deadline else "",
        "industries": _codes(project.industries),
    }


def _codes(industries: list[Industry]) -> list[str]:
    return [i.code for i in industries]


def _own_project(project_id: int) -> Project:
    # Another enterprise's project is reported as missing, like its drafts elsewhere.
    user = _sme()
    project = projects.get_project(user, project_id)
    if project.enterprise_id != user.enterprise_id:
        raise NotFound(f"project {project_id} does not exist")
    return project


@web.route("/my/projects/new", methods=["GET", "POST"])
@login_required
def my_project_new():
    """Create a draft project."""
    return _project_form_page(None)


@web.route("/my/projects/<int:project_id>/edit", methods=["GET", "POST"])
@login_required
def my_project_edit(project_id: int):
    """Change a project's terms."""
    return _project_form_page(_own_project(project_id))


@web.get("/my/projects/<int:project_id>/preview")
@login_required
def my_project_preview(project_id: int):
    """The project as investors will see it, with the actions its status allows."""
    user, project = _sme(), _own_project(project_id)
    return render_template(
        "project.html",
        project=project,
        preview=True,
        actions=projects.allowed_moves(user, project),
        editable=projects.may_edit(user, project),
    )


@web.post("/my/projects/<int:project_id>/<any(publish, withdraw):action>")
@login_required
def my_project_action(project_id: int, action: str):
    """Publish or withdraw; a move the status does not allow is refused by the service (409)."""
    project = projects.change_status(_sme(), _own_project(project_id).id, action)
    message = _("项目已发布，投资机构可以检索到它。") if action == "publish" else _("项目已撤回。")
    flash(message, "success")
    return redirect(url_for("web.my_projects", _anchor=f"project-{project.id}"))


# --- 访问授权 -------------------------------------------------------------------------------


@web.get("/my/access")
@login_required
def my_access():
    """Institutions' requests for the financials, and the log of every decision and read."""
    user = _sme()
    enterprise = _own_enterprise(user)
    if enterprise is None:
        return redirect(url_for("web.my_enterprise"))
    summary = access_grants.access_overview(user, enterprise, LOG_SHOWN)
    return render_template("my_access.html", enterprise=enterprise, summary=summary)


@web.post("/my/access/<int:grant_id>/<any(grant, deny, revoke):decision>")
@login_required
def my_access_decide(grant_id: int, decision: str):
    """Grant, deny or revoke an institution's access."""
    access_grants.decide(_sme(), grant_id, decision)
    messages = {
        "grant": _("已授权该机构查看财务数据。"),
        "deny": _("已拒绝该申请。"),
        "revoke": _("已撤销该机构的查看权限。"),
    }
    flash(messages[decision], "success")
    return redirect(url_for("web.my_access"))


@web.post("/enterprises/<int:enterprise_id>/access-request")
@login_required
def request_financials(enterprise_id: int):
    """An institution's user asks the enterprise for its financials."""
    outcome = submit_values(
        posted(),
        _request_schema,
        lambda data: access_grants.request_access(session_user(), enterprise_id, data["purpose"]),
    )
    if not outcome.done:
        # The enterprise page shows no messages at the request form: the error page says them.
        raise Invalid("invalid request", outcome.messages)
    flash(_("申请已提交，等待企业审批。"), "success")
    return redirect(url_for("web.enterprise_detail", enterprise_id=enterprise_id))
