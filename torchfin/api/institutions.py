"""Institutions and their mandates."""

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from schemas.institution import InstitutionSchema, MandateSchema
from torchfin.api.common import PREFIX, STILL_NAMED, SelectPage, caller
from torchfin.models import Institution, Mandate
from torchfin.services.records import get_or_404
from torchfin.services.registry import institutions

inst = Blueprint(
    "institutions",
    __name__,
    url_prefix=f"{PREFIX}/institutions",
    description="Financial institutions",
)
mand = Blueprint("mandates", __name__, url_prefix=f"{PREFIX}/mandates", description="Mandates")
BLUEPRINTS = (inst, mand)


@inst.route("")
class Institutions(MethodView):
    """The institution list."""

    @inst.response(200, InstitutionSchema(many=True))
    @inst.paginate(SelectPage)
    def get(self):
        """List institutions."""
        caller()
        return select(Institution).order_by(Institution.id)

    @inst.arguments(InstitutionSchema)
    @inst.response(201, InstitutionSchema)
    def post(self, data: dict):
        """Register an institution (admin)."""
        return institutions.save_institution(caller(), data)


@inst.route("/<int:institution_id>")
class InstitutionById(MethodView):
    """One institution."""

    @inst.response(200, InstitutionSchema)
    def get(self, institution_id: int):
        """Read an institution."""
        caller()
        return get_or_404(Institution, institution_id, "institution")

    @inst.arguments(InstitutionSchema(partial=True))
    @inst.response(200, InstitutionSchema)
    def patch(self, data: dict, institution_id: int):
        """Change an institution (its own users or an admin)."""
        return institutions.save_institution(caller(), data, institution_id)

    @inst.response(204)
    @inst.alt_response(409, description=STILL_NAMED)
    def delete(self, institution_id: int):
        """Delete an institution and its mandates (admin)."""
        institutions.delete_institution(caller(), institution_id)


@mand.route("")
class Mandates(MethodView):
    """The mandate list."""

    @mand.response(200, MandateSchema(many=True))
    @mand.paginate(SelectPage)
    def get(self):
        """List mandates."""
        caller()
        return select(Mandate).order_by(Mandate.id)

    @mand.arguments(MandateSchema)
    @mand.response(201, MandateSchema)
    def post(self, data: dict):
        """Create a mandate for your institution."""
        return institutions.save_mandate(caller(), data)


@mand.route("/<int:mandate_id>")
class MandateById(MethodView):
    """One mandate."""

    @mand.response(200, MandateSchema)
    def get(self, mandate_id: int):
        """Read a mandate."""
        caller()
        return get_or_404(Mandate, mandate_id, "mandate")

    @mand.arguments(MandateSchema(partial=True))
    @mand.response(200, MandateSchema)
    def patch(self, data: dict, mandate_id: int):
        """Change a mandate (its institution's users or an admin)."""
        return institutions.save_mandate(caller(), data, mandate_id)

    @mand.response(204)
    @mand.alt_response(409, description=STILL_NAMED)
    def delete(self, mandate_id: int):
        """Delete a mandate."""
        institutions.delete_mandate(caller(), mandate_id)
