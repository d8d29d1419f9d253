"""Pages of tech-finance policies (政策申报): an SME's offers and applying, the application queue
and an application with its evaluation, timeline and the zone's decision forms, and a zone's
policies with the budget left.

Every form goes through the API's schema and the same service function as the JSON API
(form_flow.submit): field errors come back on the form with a 422, a refused move (from the
wrong state, over the budget or a cap) as a 409 whose reason the page words.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from marshmallow import ValidationError
from wtforms.fields import SelectChoice

from schemas.data_room import upload_schema
from schemas.policy import ApplicationActionSchema, ApplicationSchema
from torchfin.downloads import document_response
from torchfin.models.enums import ApplicationState
from torchfin.services import policy_documents
from torchfin.services.errors import Conflict, NotFound
from torchfin.services.finance.policies import applications, queries
from torchfin.services.matching import data_room
from torchfin.services.matching.document_types import DocumentRejected, DocumentTooLarge
from torchfin.services.permissions import owns_enterprise
from torchfin.web import web
from torchfin.web.finance_labels import refusal_notice
from torchfin.web.form_flow import submit
from torchfin.web.messages import localise
from torchfin.web.policy_forms import ApplicationDecisionForm, PolicyApplyForm
from torchfin.web.policy_labels import policy_label
from torchfin.web.session_user import session_user

apply_schema = ApplicationSchema()
action_schema = ApplicationActionSchema()
ACTIONS = ",".join(applications.APPLICATION_MOVES)


@web.get("/policies")
@login_required
def policy_offers():
    """The SME's offers: each current policy of its zone, evaluated for each of its records."""
    offers = applications.offers(session_user())
    by_policy: dict[int, list] = {}
    for offer in offers:
        by_policy.setdefault(offer.policy.id, []).append(offer)
    return render_template(
        "policy_offers.html",
        groups=[(group[0].policy, group) for group in by_policy.values()],
        records=queries.subject_records([o.subject for o in offers]),
    )


def _apply_form(offers: list) -> PolicyApplyForm:
    form = PolicyApplyForm()
    subjects = dict.fromkeys(o.subject for o in offers)
    records = queries.subject_records(list(subjects))
    form.subject.choices = [
        SelectChoice(subject, _subject_text(subject, records.get(subject))) for subject in subjects
    ]
    stages = dict.fromkeys(o.stage for o in offers)
    form.stage.choices = [SelectChoice(stage, policy_label("stage", stage)) for stage in stages]
    if request.method == "GET":
        form.subject.data = request.args.get("subject")
        form.stage.data = request.args.get("stage")
    return form


def _subject_text(subject: str, record: object) -> str:
    kind = subject.split(":")[0]
    text = f"{policy_label('subject', kind)} #{subject.split(':')[-1]}"
    if getattr(record, "principal", None) is not None:
        return f"{text} · {record.principal:,.2f}"
    if getattr(record, "reference", None):
        return f"{text} · {policy_label('venue', record.venue)} {record.reference}"
    return text


@web.route("/policies/<int:policy_id>/apply", methods=["GET", "POST"])
@login_required
def policy_apply(policy_id: int):
    """The SME applies under a policy for one of its records (and a stage of a staged reward)."""
    user = session_user()
    offers = [o for o in applications.offers(user) if o.policy.id == policy_id]
    if not offers:
        raise NotFound(f"policy {policy_id} is not one of your zone's current policies")
    policy = offers[0].policy
    form = _apply_form(offers)
    status = 200
    if form.is_submitted():
        outcome = submit(
            form,
            apply_schema,
            lambda data: applications.apply(user, data),
            shape=lambda payload: payload | {"policy_id": policy_id},
        )
        if outcome.done:
            flash(_("申报已提交，等待园区审核。"), "success")
            return redirect(
                url_for("web.policy_application", application_id=outcome.result.id), 303
            )
        if outcome.conflict is not None:
            already = _("该记录的此阶段已有申报，不能重复申报。")
            form.subject.errors = [*form.subject.errors, already]
        status = outcome.status
    chosen = next(
        (o for o in offers if (o.subject, o.stage) == (form.subject.data, form.stage.data or "")),
        offers[0],
    )
    return render_template("policy_apply.html", policy=policy, form=form, offer=chosen), status


@web.get("/policy-applications")
@login_required
def policy_application_list():
    """The applications the user may see: an SME's own, its zone's for a zone administrator;
    filtered by state and policy."""
    user = session_user()
    state = request.args.get("state")
    state = ApplicationState(state) if state in set(ApplicationState) else None
    policy_code = request.args.get("policy") or None
    page = request.args.get("page", "1")
    queue = queries.application_queue(user, state, policy_code, int(page) if page.isdigit() else 1)
    return render_template(
        "policy_application_list.html",
        queue=queue,
        records=queries.subject_records([a.subject for a in queue.applications]),
        states=list(ApplicationState),
        state=state,
        policies=queries.queue_policies(user),
        policy_code=policy_code,
    )


def _application_page(
    application_id: int,
    failed: tuple[str, ApplicationDecisionForm] | None = None,
    notice: str | None = None,
    status: int = 200,
    file_errors: list[str] | None = None,
):
    """The application page; a refused step's form is shown again with what was typed, a
    refused document with the reason at the file field."""
    user = session_user()
    application = applications.get_application(user, application_id)
    may_attach = (
        owns_enterprise(user, application.enterprise) and application.state in policy_documents.OPEN
    )
    chosen, chosen_form = failed or (None, None)
    actions = [
        (
            name,
            applications.APPLICATION_MOVES[name],
            chosen_form if name == chosen else ApplicationDecisionForm(formdata=None, prefix=name),
        )
        for name in applications.actions_for(user, application)
    ]
    return render_template(
        "policy_application.html",
        application=application,
        record=queries.subject_records([application.subject]).get(application.subject),
        actions=actions,
        notice=notice,
        timeline=applications.application_timeline(user, application_id),
        may_attach=may_attach,
        file_errors=file_errors or [],
    ), status


@web.get("/policy-applications/<int:application_id>")
@login_required
def policy_application(application_id: int):
    """An application: evaluation, amount, documents, timeline, and the zone's steps now."""
    return _application_page(application_id)


@web.post(f"/policy-applications/<int:application_id>/<any({ACTIONS}):action>")
@login_required
def policy_application_act(application_id: int, action: str):
    """Review, approve, reject (with a reason) or pay from the application page."""
    user = session_user()
    form = ApplicationDecisionForm(prefix=action)
    outcome = submit(
        form, action_schema, lambda data: applications.act(user, application_id, action, data)
    )
    if outcome.done:
        done = _("拨付已提交，支付完成后状态变为已拨付。") if action == "pay" else _("操作已完成。")
        flash(done, "success")
        return redirect(url_for("web.policy_application", application_id=application_id), 303)
    notice = None
    if outcome.conflict is not None:
        state = applications.get_application(user, application_id).state
        notice = refusal_notice(
            outcome.conflict.message,
            applications.APPLICATION_MOVES,
            action,
            state,
            "application_state",
        )
    return _application_page(application_id, (action, form), notice, outcome.status)


@web.post("/policy-applications/<int:application_id>/documents")
@login_required
def policy_document_upload(application_id: int):
    """The enterprise attaches a document before the zone decides; a refused file (kind, size,
    or the zone has decided) re-renders the page with the reason at the file field."""
    upload_file = request.files.get("file")
    try:
        data = upload_schema.load({"file": upload_file} if upload_file else {})
    except ValidationError:
        missing = [_("请选择要上传的文件。")]
        return _application_page(application_id, status=422, file_errors=missing)
    try:
        document = policy_documents.attach_document(
            session_user(), application_id, data["file"].filename, data["file"].stream
        )
    except DocumentTooLarge as exc:
        limit = data_room.max_bytes() / (1024 * 1024)
        headline = _("文件超过数据室的大小上限（%(limit).1f MiB）。", limit=limit)
        errors = [headline, *exc.errors["file"]]
        return _application_page(application_id, status=exc.status, file_errors=errors)
    except DocumentRejected as exc:
        headline = _("只能上传 PDF、XLSX 或 DOCX 文件，且文件内容须与扩展名一致。")
        errors = [headline, *exc.errors["file"]]
        return _application_page(application_id, status=exc.status, file_errors=errors)
    except Conflict as exc:
        return _application_page(
            application_id, status=exc.status, file_errors=[localise(exc.message)]
        )
    flash(_("已附加“%(name)s”。", name=document.filename), "success")
    return redirect(
        url_for("web.policy_application", application_id=application_id, _anchor="documents"), 303
    )


@web.get("/policy-applications/documents/<int:document_id>")
@login_required
def policy_document_download(document_id: int):
    """Download a document of an application the user may see."""
    return document_response(*policy_documents.open_document(session_user(), document_id))


@web.get("/zones/<code>/policies")
@login_required
def zone_policies(code: str):
    """A zone's current policies with this year's budget, reserved, paid and left."""
    zone, standings = queries.zone_policy_standings(session_user(), code)
    return render_template("zone_policies.html", zone=zone, standings=standings)
