"""Detail pages of an enterprise and of a financing project (members only)."""

from datetime import date

from flask import render_template
from flask_login import login_required

from torchfin.models import Enterprise
from torchfin.models.enums import ReadChannel
from torchfin.services.dashboards import overview
from torchfin.services.permissions import may_read_financials
from torchfin.services.records import get_or_404
from torchfin.services.registry.access_grants import (
    latest_grant,
    may_request_access,
    record_confidential_read,
)
from torchfin.services.registry.projects import get_project
from torchfin.services.zone_access import may_follow_enterprise
from torchfin.web import web
from torchfin.web.session_user import session_user


@web.get("/projects/<int:project_id>")
@login_required
def project_detail(project_id: int):
    """A project; another enterprise's draft is reported as missing (404) by the service."""
    project = get_project(session_user(), project_id)
    return render_template("project.html", project=project)


@web.get("/enterprises/<int:enterprise_id>")
@login_required
def enterprise_detail(enterprise_id: int):
    """An enterprise's public profile, its projects, and its financials for those allowed."""
    user = session_user()
    enterprise = get_or_404(Enterprise, enterprise_id, "enterprise")
    show_financials = may_read_financials(user, enterprise)
    if show_financials and enterprise.financials:
        record_confidential_read(user, enterprise, ReadChannel.PAGE)
    # An institution's user without access sees where its latest request stands, and may ask
    # while none is open.
    return render_template(
        "enterprise.html",
        enterprise=enterprise,
        projects=overview.enterprise_projects(user, enterprise.id),
        financials=enterprise.financials if show_financials else None,
        access_request=None if show_financials else latest_grant(user, enterprise.id),
        may_request=not show_financials and may_request_access(user, enterprise),
        # The readiness report is the enterprise's own and its zone administrators' business.
        shows_readiness=may_follow_enterprise(user, enterprise),
        today=date.today(),
    )
