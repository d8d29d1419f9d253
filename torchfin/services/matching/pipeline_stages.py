"""An institution's pipeline stages: who sees and changes them, renaming and reordering, and the
record of every change.

Each rename and each reorder is an event of the hash-chained audit trail under the subject
`pipeline:<institution id>`, in the same transaction as the change: who (id and name, kept even
if the account goes), when, and the old and new values in `data`. The audit trail fits because a
stage change belongs to the institution's pipeline, not to any one deal (deal events need a
deal), and it already gives an append-only, tamper-evident history that `flask audit verify`
checks, with no new table.
"""

from sqlalchemy import Select, select

from torchfin.extensions import db
from torchfin.models import AuditEvent, Institution, PipelineStage, User
from torchfin.services.errors import Forbidden, Invalid
from torchfin.services.finance import audit
from torchfin.services.finance.subjects import subject_of
from torchfin.services.matching.deals import acts_for_institution, ensure_pipeline, pipeline
from torchfin.services.permissions import is_admin
from torchfin.services.records import get_or_404

RENAME = "rename_stage"  # data: stage_id, key, old and new name
REORDER = "reorder_stages"  # data: old and new order, as lists of stage keys


def history_subject(institution_id: int) -> str:
    """The audit subject under which an institution's pipeline changes are recorded."""
    return subject_of("pipeline", institution_id)


def _check_access(user: User, institution_id: int, doing: str) -> None:
    # The institution's users and admins see and change its pipeline and read its history.
    get_or_404(Institution, institution_id, "institution")
    if not (is_admin(user) or acts_for_institution(user, institution_id)):
        raise Forbidden(f"you may not {doing} this pipeline")


def _pipeline_of(user: User, institution_id: int, doing: str) -> list[PipelineStage]:
    # The stages in order, for a caller allowed to `doing` them; they exist from here on.
    _check_access(user, institution_id, doing)
    return ensure_pipeline(institution_id)


def stages_for(user: User, institution_id: int) -> list[PipelineStage]:
    """The institution's pipeline, for its users and admins (created with the defaults)."""
    stages = _pipeline_of(user, institution_id, "see")
    db.session.commit()
    return stages


def _refuse_duplicate_names(names: dict[int, str], field: str) -> None:
    # Two columns of one name could not be told apart on the pipeline page.
    seen: dict[str, int] = {}
    for stage_id, name in names.items():
        if name.casefold() in seen:
            raise Invalid("duplicate name", {field: [f"Two stages may not both be named {name}."]})
        seen[name.casefold()] = stage_id


def _apply(
    user: User, stages: list[PipelineStage], names: dict[int, str], order: list[int]
) -> None:
    # The one place stages change: `stages` in their current order, `names` the new names by
    # stage id (others keep theirs), `order` every stage id in its new order. Records each
    # rename and a changed order, then commits all of it at once.
    subject = history_subject(stages[0].institution_id)
    for stage in stages:
        new_name = names.get(stage.id, stage.name)
        if new_name != stage.name:
            data = {"stage_id": stage.id, "key": stage.key, "old": stage.name, "new": new_name}
            audit.record(db.session, subject, RENAME, actor=user, data=data)
            stage.name = new_name
    by_id = {s.id: s for s in stages}
    old_order, new_order = [s.key for s in stages], [by_id[i].key for i in order]
    if new_order != old_order:
        audit.record(
            db.session, subject, REORDER, actor=user, data={"old": old_order, "new": new_order}
        )
    for position, stage_id in enumerate(order):
        by_id[stage_id].position = position
    db.session.commit()


def rename_stage(user: User, stage_id: int, name: str) -> PipelineStage:
    """Rename a stage of the caller's pipeline (its key, which rules use, stays); recorded."""
    stage = get_or_404(PipelineStage, stage_id, "stage")
    stages = _pipeline_of(user, stage.institution_id, "change")
    _refuse_duplicate_names({s.id: (name if s.id == stage_id else s.name) for s in stages}, "name")
    _apply(user, stages, {stage_id: name}, [s.id for s in stages])
    return stage


def reorder_stages(user: User, institution_id: int, stage_ids: list[int]) -> list[PipelineStage]:
    """Put the pipeline's stages in the given order (every stage, each once); recorded."""
    stages = _pipeline_of(user, institution_id, "change")
    if sorted(stage_ids) != sorted(s.id for s in stages):
        raise Invalid("order", {"stage_ids": ["List every stage of the pipeline exactly once."]})
    _apply(user, stages, {}, stage_ids)
    return pipeline(institution_id)


def configure_pipeline(
    user: User, institution_id: int, settings: list[dict]
) -> list[PipelineStage]:
    """Rename and reorder in one go (the settings page): `settings` has one {id, name,
    position} per stage; stages are put in order of position, ties keeping their current order.
    Each rename and a changed order are recorded.

    Deals point at stage rows, not at names or positions, so every deal keeps its stage.
    """
    stages = _pipeline_of(user, institution_id, "change")
    current = {s.id: s.position for s in stages}
    if sorted(item["id"] for item in settings) != sorted(current):
        raise Invalid("stages", {"stages": ["Give every stage of the pipeline exactly once."]})
    _refuse_duplicate_names({item["id"]: item["name"] for item in settings}, "stages")
    ordered = sorted(settings, key=lambda item: (item["position"], current[item["id"]]))
    names = {item["id"]: item["name"] for item in settings}
    _apply(user, stages, names, [item["id"] for item in ordered])
    return pipeline(institution_id)


def history(user: User, institution_id: int) -> Select:
    """Every rename and reorder of the institution's stages, newest first (its users, admins)."""
    _check_access(user, institution_id, "see")
    return (
        select(AuditEvent)
        .where(AuditEvent.subject == history_subject(institution_id))
        .order_by(AuditEvent.seq.desc())
    )
