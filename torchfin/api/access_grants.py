"""Access to confidential financials: requests, decisions, and the access log."""

from flask_smorest import Blueprint

from schemas.access_grant import AccessGrantSchema, AccessLogEntrySchema, AccessRequestSchema
from torchfin.api.common import PREFIX, SelectPage, caller
from torchfin.models import Enterprise
from torchfin.services.records import get_or_404
from torchfin.services.registry import access_grants

blp = Blueprint(
    "access_grants",
    __name__,
    url_prefix=PREFIX,
    description="Access grants to confidential financials",
)
BLUEPRINTS = (blp,)


@blp.route("/enterprises/<int:enterprise_id>/access-requests", methods=["POST"])
@blp.arguments(AccessRequestSchema)
@blp.response(201, AccessGrantSchema)
@blp.alt_response(409, description="A request is already pending or granted")
def request_access(data: dict, enterprise_id: int):
    """Ask for your institution's access to an enterprise's financials."""
    return access_grants.request_access(caller(), enterprise_id, data["purpose"])


@blp.route("/access-grants", methods=["GET"])
@blp.response(200, AccessGrantSchema(many=True))
@blp.paginate(SelectPage)
def list_grants():
    """Requests about your enterprise, or of your institution (admins: all)."""
    return access_grants.visible_grants(caller())


@blp.route("/access-grants/<int:grant_id>/<any(grant, deny, revoke):decision>", methods=["POST"])
@blp.response(200, AccessGrantSchema)
@blp.alt_response(409, description="Not allowed from the current state")
def decide(grant_id: int, decision: str):
    """Grant or deny a pending request, or revoke a granted one (the enterprise's own users)."""
    return access_grants.decide(caller(), grant_id, decision)


@blp.route("/enterprises/<int:enterprise_id>/access-log", methods=["GET"])
@blp.response(200, AccessLogEntrySchema(many=True))
@blp.paginate(SelectPage)
def access_log(enterprise_id: int):
    """Who requested, decided on and read the enterprise's financials (its users and admins)."""
    enterprise = get_or_404(Enterprise, enterprise_id, "enterprise")
    return access_grants.access_log(caller(), enterprise)
