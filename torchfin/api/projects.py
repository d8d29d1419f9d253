"""Financing projects: drafts, publication, withdrawal."""

from flask.views import MethodView
from flask_smorest import Blueprint

from schemas.project import ProjectQuerySchema, ProjectSchema
from torchfin.api.common import PREFIX, STILL_NAMED, SelectPage, caller
from torchfin.models import Project
from torchfin.services.registry import projects

blp = Blueprint(
    "projects", __name__, url_prefix=f"{PREFIX}/projects", description="Financing projects"
)
BLUEPRINTS = (blp,)


@blp.route("")
class Projects(MethodView):
    """The project list."""

    @blp.arguments(ProjectQuerySchema, location="query")
    @blp.response(200, ProjectSchema(many=True))
    @blp.paginate(SelectPage)
    def get(self, args: dict):
        """List the projects you may see (published ones, and your own drafts)."""
        query = projects.visible_projects(caller())
        if "enterprise_id" in args:
            query = query.where(Project.enterprise_id == args["enterprise_id"])
        if "status" in args:
            query = query.where(Project.status == args["status"])
        return query.order_by(Project.id)

    @blp.arguments(ProjectSchema)
    @blp.response(201, ProjectSchema)
    def post(self, data: dict):
        """Create a draft project for your enterprise."""
        return projects.create_project(caller(), data)


@blp.route("/<int:project_id>")
class ProjectById(MethodView):
    """One project."""

    @blp.response(200, ProjectSchema)
    def get(self, project_id: int):
        """Read a project."""
        return projects.get_project(caller(), project_id)

    @blp.arguments(ProjectSchema(partial=True))
    @blp.response(200, ProjectSchema)
    def patch(self, data: dict, project_id: int):
        """Change a project's terms."""
        return projects.update_project(caller(), project_id, data)

    @blp.response(204)
    @blp.alt_response(409, description=STILL_NAMED)
    def delete(self, project_id: int):
        """Delete a project."""
        projects.delete_project(caller(), project_id)


@blp.route("/<int:project_id>/<any(publish, withdraw):action>", methods=["POST"])
@blp.response(200, ProjectSchema)
@blp.alt_response(409, description="Not allowed from the current status")
def project_action(project_id: int, action: str):
    """Publish or withdraw a project."""
    return projects.change_status(caller(), project_id, action)
