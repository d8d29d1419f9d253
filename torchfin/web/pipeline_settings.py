"""The institution's pipeline settings page (rename and reorder stages, the latest changes) and
stage labels."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from schemas.matching import PipelineSettingsSchema
from torchfin.extensions import db
from torchfin.models import AuditEvent, PipelineStage, User
from torchfin.services.errors import Forbidden
from torchfin.services.matching import deals, pipeline_stages
from torchfin.web import web
from torchfin.web.form_flow import submit_values
from torchfin.web.session_user import session_user

# The default names (deals.DEFAULT_STAGES, stored in Chinese) in the reader's language.
DEFAULT_LABELS = {
    "contacted": _l("已接洽"),
    "meeting": _l("会谈"),
    "due_diligence": _l("尽职调查"),
    "term_sheet": _l("投资意向书"),
    "closed_won": _l("成交"),
    "closed_lost": _l("未成交"),
}
DEFAULT_NAMES = {key: name for key, name, _closed in deals.DEFAULT_STAGES}
HISTORY_SIZE = 10  # changes shown under the form; the API pages through all of them
settings_schema = PipelineSettingsSchema()


@web.app_template_filter("stage_label")
def stage_label(stage: PipelineStage) -> str:
    """A stage's name: the institution's own once renamed, else the default, translated."""
    if stage.name == DEFAULT_NAMES.get(stage.key):
        return str(DEFAULT_LABELS[stage.key])
    return stage.name


def _institution_user() -> User:
    user = session_user()
    if user.institution_id is None:
        raise Forbidden("only users of an institution have a pipeline")
    return user


def _submitted(stages: list[PipelineStage]) -> dict:
    # One name-<id> and position-<id> field per stage of the pipeline shown.
    return {
        "stages": [
            {
                "id": stage.id,
                "name": request.form.get(f"name-{stage.id}", ""),
                "position": request.form.get(f"position-{stage.id}", ""),
            }
            for stage in stages
        ]
    }


def _describe_change(event: AuditEvent, labels: dict[str, str]) -> str:
    """One recorded change in words: a rename with both names, or a reorder with both orders
    (stages by their current labels, `labels` by key)."""
    if event.action == pipeline_stages.RENAME:
        return _("将“%(old)s”改名为“%(new)s”", old=event.data["old"], new=event.data["new"])

    def order(keys: list[str]) -> str:
        return " → ".join(labels.get(key, key) for key in keys)

    return _(
        "顺序由 %(old)s 改为 %(new)s", old=order(event.data["old"]), new=order(event.data["new"])
    )


def _by_stage(messages: dict, stages: list[PipelineStage]) -> dict:
    """A refusal's messages as the page shows them: a stage's row by its id (the schema names
    it by its place in the list), the rest above the form."""
    rows = messages.get("stages")
    by_stage = {stages[int(i)].id: m for i, m in rows.items()} if isinstance(rows, dict) else {}
    general = [m for ms in messages.values() if isinstance(ms, list) for m in ms]
    return {"rows": by_stage, "form": general}


def _render(stages: list[PipelineStage], errors: dict | None = None, status: int = 200):
    user = _institution_user()
    changes = pipeline_stages.history(user, user.institution_id).limit(HISTORY_SIZE)
    labels = {stage.key: stage_label(stage) for stage in stages}
    history = [(event, _describe_change(event, labels)) for event in db.session.scalars(changes)]
    page = render_template(
        "pipeline_settings.html", stages=stages, history=history, errors=errors or {}
    )
    return page, status


@web.get("/deals/stages")
@login_required
def pipeline_settings():
    """The stages of the caller's pipeline, each with its name and place, and the latest
    changes."""
    user = _institution_user()
    return _render(pipeline_stages.stages_for(user, user.institution_id))


@web.post("/deals/stages")
@login_required
def pipeline_settings_save():
    """Rename and reorder the stages at once (each change recorded); deals stay in their stages."""
    user = _institution_user()
    stages = pipeline_stages.stages_for(user, user.institution_id)
    outcome = submit_values(
        _submitted(stages),
        settings_schema,
        lambda data: pipeline_stages.configure_pipeline(user, user.institution_id, data["stages"]),
    )
    if not outcome.done:
        return _render(stages, _by_stage(outcome.messages, stages), outcome.status)
    flash(_("管道阶段已保存。"), "success")
    return redirect(url_for("web.deal_pipeline"))
