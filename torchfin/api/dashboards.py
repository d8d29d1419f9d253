"""Zone dashboards: the numbers behind every chart of the dashboard page."""

from flask_smorest import Blueprint

from schemas.dashboard import ZoneDashboardSchema
from torchfin.api.common import PREFIX, caller
from torchfin.services.dashboards.zone import zone_dashboard

blp = Blueprint(
    "dashboards", __name__, url_prefix=f"{PREFIX}/dashboards", description="Zone dashboards"
)
BLUEPRINTS = (blp,)


@blp.get("/zones/<code>")
@blp.response(200, ZoneDashboardSchema)
def zone(code: str):
    """Industry map, financing gap, pipeline, readiness, exposure and policy figures of a zone
    (its admins)."""
    return zone_dashboard(caller(), code)
