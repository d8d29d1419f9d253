"""Enterprises: public profiles for members, financials for those allowed."""

from flask.views import MethodView
from flask_smorest import Blueprint, abort
from sqlalchemy import select

from schemas.enterprise import EnterpriseFinancialsSchema, EnterpriseSchema
from torchfin.api.common import PREFIX, STILL_NAMED, SelectPage, caller
from torchfin.models import Enterprise
from torchfin.models.enums import ReadChannel
from torchfin.services.permissions import may_read_financials
from torchfin.services.records import get_or_404
from torchfin.services.registry import enterprises
from torchfin.services.registry.access_grants import record_confidential_read

blp = Blueprint(
    "enterprises", __name__, url_prefix=f"{PREFIX}/enterprises", description="Enterprises"
)
BLUEPRINTS = (blp,)


@blp.route("")
class Enterprises(MethodView):
    """The enterprise list."""

    @blp.response(200, EnterpriseSchema(many=True))
    @blp.paginate(SelectPage)
    def get(self):
        """List enterprises (public profiles)."""
        caller()
        return select(Enterprise).order_by(Enterprise.id)

    @blp.arguments(EnterpriseSchema)
    @blp.response(201, EnterpriseSchema)
    def post(self, data: dict):
        """Register an enterprise (an SME its own, an admin any)."""
        return enterprises.register_enterprise(caller(), data)


@blp.route("/<int:enterprise_id>")
class EnterpriseById(MethodView):
    """One enterprise."""

    @blp.response(200, EnterpriseSchema)
    def get(self, enterprise_id: int):
        """Read an enterprise's public profile."""
        caller()
        return get_or_404(Enterprise, enterprise_id, "enterprise")

    @blp.arguments(EnterpriseSchema(partial=True))
    @blp.response(200, EnterpriseSchema)
    def patch(self, data: dict, enterprise_id: int):
        """Change an enterprise (its own users or an admin)."""
        return enterprises.update_enterprise(caller(), enterprise_id, data)

    @blp.response(204)
    @blp.alt_response(409, description=STILL_NAMED)
    def delete(self, enterprise_id: int):
        """Delete an enterprise and its projects (its own users or an admin)."""
        enterprises.delete_enterprise(caller(), enterprise_id)


@blp.route("/<int:enterprise_id>/financials")
class EnterpriseFinancials(MethodView):
    """The confidential yearly financials."""

    @blp.response(200, EnterpriseFinancialsSchema)
    def get(self, enterprise_id: int):
        """Read the yearly financials (the enterprise, admins, institutions it granted access).

        Every successful read is recorded in the enterprise's access log.
        """
        user = caller()
        enterprise = get_or_404(Enterprise, enterprise_id, "enterprise")
        if not may_read_financials(user, enterprise):
            abort(
                403,
                message="Financials are confidential: ask the enterprise for access "
                f"(POST {PREFIX}/enterprises/{enterprise_id}/access-requests).",
            )
        record_confidential_read(user, enterprise, ReadChannel.API)
        return enterprise
