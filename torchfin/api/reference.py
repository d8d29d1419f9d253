"""Zones and industries: readable by anyone, changed by admins."""

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from schemas.reference import IndustrySchema, ZoneSchema
from torchfin.api.common import PREFIX, STILL_NAMED, SelectPage, caller
from torchfin.models import Industry, Zone
from torchfin.services.records import get_or_404
from torchfin.services.registry import reference

zones = Blueprint(
    "zones", __name__, url_prefix=f"{PREFIX}/zones", description="National high-tech zones"
)
industries = Blueprint(
    "industries", __name__, url_prefix=f"{PREFIX}/industries", description="Industry taxonomy"
)
BLUEPRINTS = (zones, industries)


@zones.route("")
class Zones(MethodView):
    """The zone list."""

    @zones.response(200, ZoneSchema(many=True))
    @zones.paginate(SelectPage)
    def get(self):
        """List zones."""
        return select(Zone).order_by(Zone.id)

    @zones.arguments(ZoneSchema)
    @zones.response(201, ZoneSchema)
    def post(self, data: dict):
        """Create a zone (admin)."""
        return reference.save_zone(caller(), data)


@zones.route("/<int:zone_id>")
class ZoneById(MethodView):
    """One zone."""

    @zones.response(200, ZoneSchema)
    def get(self, zone_id: int):
        """Read a zone."""
        return get_or_404(Zone, zone_id, "zone")

    @zones.arguments(ZoneSchema(partial=True))
    @zones.response(200, ZoneSchema)
    def patch(self, data: dict, zone_id: int):
        """Change a zone (admin)."""
        return reference.save_zone(caller(), data, zone_id)

    @zones.response(204)
    @zones.alt_response(409, description=STILL_NAMED)
    def delete(self, zone_id: int):
        """Delete a zone no record names (admin)."""
        reference.delete_zone(caller(), zone_id)


@industries.route("")
class Industries(MethodView):
    """The industry list."""

    @industries.response(200, IndustrySchema(many=True))
    @industries.paginate(SelectPage)
    def get(self):
        """List industries and sub-fields."""
        return select(Industry).order_by(Industry.id)

    @industries.arguments(IndustrySchema)
    @industries.response(201, IndustrySchema)
    def post(self, data: dict):
        """Create an industry or sub-field (admin)."""
        return reference.save_industry(caller(), data)


@industries.route("/<int:industry_id>")
class IndustryById(MethodView):
    """One industry."""

    @industries.response(200, IndustrySchema)
    def get(self, industry_id: int):
        """Read an industry."""
        return get_or_404(Industry, industry_id, "industry")

    @industries.arguments(IndustrySchema(partial=True))
    @industries.response(200, IndustrySchema)
    def patch(self, data: dict, industry_id: int):
        """Change an industry (admin)."""
        return reference.save_industry(caller(), data, industry_id)

    @industries.response(204)
    @industries.alt_response(409, description=STILL_NAMED)
    def delete(self, industry_id: int):
        """Delete an unused industry (admin)."""
        reference.delete_industry(caller(), industry_id)
