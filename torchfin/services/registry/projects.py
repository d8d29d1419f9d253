"""Financing projects: drafting, editing, publishing, withdrawing, deleting."""

from sqlalchemy import Select, select

from torchfin.extensions import db
from torchfin.models import Enterprise, Project, User
from torchfin.models.base import utcnow
from torchfin.models.enums import ProjectStatus, Role
from torchfin.services import dependants, enterprise_events
from torchfin.services.errors import Forbidden, Invalid, NotFound
from torchfin.services.outbox import notify_search, record_delete, record_upsert
from torchfin.services.permissions import is_admin, is_enterprise_editor, require_enterprise_editor
from torchfin.services.records import apply_fields, get_or_404
from torchfin.services.registry.reference import industries_by_code
from torchfin.services.workflow import Move, allowed_actions, check_move

EDITABLE = (
    "title",
    "summary",
    "amount_sought",
    "instrument",
    "stage",
    "use_of_funds",
    "valuation",
    "deadline",
)

# Short names so the move table below reads like the state diagram.
P = ProjectStatus
# Terms change until the project is withdrawn, funded or closed.
EDITABLE_STATUSES = frozenset({P.DRAFT, P.PUBLISHED, P.IN_TALKS})
# The enterprise's own users take every move, and admins on its behalf.
EDITORS = frozenset({Role.SME, Role.ADMIN})
MOVES = {
    "publish": Move(frozenset({P.DRAFT}), P.PUBLISHED, EDITORS),
    "withdraw": Move(EDITABLE_STATUSES, P.WITHDRAWN, EDITORS),
}


def visible_projects(user: User) -> Select:
    """Projects `user` may see: published ones, plus its own drafts; admins see all."""
    query = select(Project)
    if is_admin(user):
        return query
    visible = Project.status != ProjectStatus.DRAFT
    if user.role == Role.SME and user.enterprise_id:
        visible = visible | (Project.enterprise_id == user.enterprise_id)
    return query.where(visible)


def get_project(user: User, project_id: int) -> Project:
    """A project `user` may see; drafts of others are reported as missing."""
    project = get_or_404(Project, project_id, "project")
    if project.status == ProjectStatus.DRAFT and not is_enterprise_editor(user, project.enterprise):
        raise NotFound(f"project {project_id} does not exist")
    return project


def _apply(project: Project, data: dict) -> None:
    # The codes first: a refused one leaves the project as it was.
    industries = industries_by_code(data["industries"]) if "industries" in data else None
    apply_fields(project, data, EDITABLE)
    if industries is not None:
        project.industries = industries


def create_project(user: User, data: dict) -> Project:
    """Create a draft project for the caller's enterprise (admins name the enterprise).

    Without `industries` it is filed under its enterprise's (the insert copies them,
    `models/project.py`); an SME names others for a project outside its usual field.
    """
    enterprise_id = data.get("enterprise_id") or user.enterprise_id
    if enterprise_id is None:
        raise Invalid("no enterprise", {"enterprise_id": ["Required: you act for no enterprise."]})
    enterprise = db.session.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise Invalid(
            "unknown enterprise", {"enterprise_id": [f"Enterprise {enterprise_id} does not exist."]}
        )
    if not is_enterprise_editor(user, enterprise):
        raise Forbidden(f"you may not post projects for enterprise {enterprise_id}")
    project = Project(status=ProjectStatus.DRAFT)
    _apply(project, data)
    project.enterprise = enterprise  # only now: a refused project never joins its collection
    db.session.add(project)
    record_upsert(db.session, project)
    db.session.commit()
    notify_search()
    return project


def _editable(user: User, project_id: int) -> Project:
    project = get_or_404(Project, project_id, "project", lock=True)
    require_enterprise_editor(user, project.enterprise)
    return project


def update_project(user: User, project_id: int, data: dict) -> Project:
    """Change a project's terms and industries (not its enterprise or status)."""
    project = _editable(user, project_id)
    if data.get("enterprise_id") not in (None, project.enterprise_id):
        raise Invalid("fixed", {"enterprise_id": ["A project cannot move to another enterprise."]})
    stage = project.stage
    _apply(project, data)
    record_upsert(db.session, project)
    recorded = project.stage != stage and enterprise_events.project_stage_changed(project)
    db.session.commit()
    notify_search()
    if recorded:
        enterprise_events.announce_events()
    return project


def allowed_moves(user: User, project: Project) -> list[str]:
    """The life-cycle actions (publish, withdraw) `user` may take on `project` now."""
    if not is_enterprise_editor(user, project.enterprise):
        return []
    return allowed_actions(MOVES, project.status, user.role)


def may_edit(user: User, project: Project) -> bool:
    """True when `user` may change the project's terms in its status (the pages offer it)."""
    return is_enterprise_editor(user, project.enterprise) and project.status in EDITABLE_STATUSES


def change_status(user: User, project_id: int, action: str) -> Project:
    """Apply a life-cycle action (publish, withdraw); refuse it from the wrong status."""
    project = _editable(user, project_id)
    project.status = check_move(MOVES, action, project.status, user.role, "project", {}).target
    if project.status == ProjectStatus.PUBLISHED:
        project.published_at = utcnow()
    record_upsert(db.session, project)
    published = project.status == ProjectStatus.PUBLISHED
    if published:
        enterprise_events.project_published(project)
    db.session.commit()
    notify_search()
    if published:
        enterprise_events.announce_events()
    return project


def delete_project(user: User, project_id: int) -> None:
    """Delete a project with its matches and remove it from search; refused (409) while an
    institution has a deal on it."""
    project = _editable(user, project_id)
    dependants.refuse_if_named("project", project_id, dependants.PROJECT)
    record_delete(db.session, project)
    db.session.delete(project)
    db.session.commit()
    notify_search()
