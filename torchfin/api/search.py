"""Search over published projects and enterprises."""

from flask_smorest import Blueprint

from schemas.search import SearchArgsSchema, SearchResultSchema
from torchfin.api.common import PREFIX, caller
from torchfin.services.discovery import search_deal_flow

blp = Blueprint("search", __name__, url_prefix=f"{PREFIX}/search", description="Deal-flow search")
BLUEPRINTS = (blp,)


@blp.route("")
@blp.arguments(SearchArgsSchema, location="query")
@blp.response(200, SearchResultSchema)
def search(args: dict):
    """Search published projects (or enterprises) with Chinese full text and filters."""
    caller()
    return search_deal_flow(args)
