"""Detail pages of an enterprise and of a financing project (members only)."""

from datetime import date

from flask import render_template
from flask_login import current_user, login_required

from torchfin.models import Enterprise, User
from torchfin.models.enums import ReadChannel
from torchfin.services.dashboards import overview
from torchfin.services.permissions import INSTITUTION_ROLES, may_read_financials
from torchfin.services.records import get_or_404
from torchfin.services.registry.access_grants import latest_grant, record_confidential_read
from torchfin.services.registry.projects import get_project
from torchfin.services.zone_access import may_follow_enterprise
from torchfin.web import web


def _user() -> User:
    # The services take the User itself, not Flask-Login's proxy.
    return current_user._get_current_object()


@web.get("/projects/<int:project_id>")
@login_required
def project_detail(project_id: int):
    """A project; another enterprise's draft is reported as missing (404) by the service."""
    project = get_project(_user(), project_id)
    return render_template("project.html", project=project)


@web.get("/enterprises/<int:enterprise_id>")
@login_required
def enterprise_detail(enterprise_id: int):
    """An enterprise's public profile, its projects, and its financials for those allowed."""
    user = _user()
    enterprise = get_or_404(Enterprise, enterprise_id, "enterprise")
    show_financials = may_read_financials(user, enterprise)
    if show_financials and enterprise.financials:
        record_confidential_read(user, enterprise, ReadChannel.PAGE)
    # An institution's user without access sees where its request stands, or may ask.
    may_request = (
        not show_financials and user.role in INSTITUTION_ROLES and user.institution_id is not None
    )
    return render_template(
        "enterprise.html",
        enterprise=enterprise,
        projects=overview.enterprise_projects(user, enterprise.id),
        financials=enterprise.financials if show_financials else None,
        access_request=latest_grant(user, enterprise.id) if may_request else None,
        may_request=may_request,
        # The readiness report is the enterprise's own and its zone administrators' business.
        shows_readiness=may_follow_enterprise(user, enterprise),
        today=date.today(),
    )
