"""Search over published projects and enterprises, and type-ahead on their names."""

from flask_smorest import Blueprint

from schemas.search import SearchArgsSchema, SearchResultSchema, SuggestArgsSchema, SuggestionSchema
from torchfin.api.common import PREFIX, caller
from torchfin.extensions import limiter
from torchfin.security import caller_key, search_limit
from torchfin.services.deal_flow.discovery import search_deal_flow, suggest_names

blp = Blueprint("search", __name__, url_prefix=f"{PREFIX}/search", description="Deal-flow search")
BLUEPRINTS = (blp,)


@blp.route("")
@limiter.limit(search_limit, key_func=caller_key)
@blp.arguments(SearchArgsSchema, location="query")
@blp.response(200, SearchResultSchema)
def search(args: dict):
    """Search published projects (or enterprises): Chinese full text, filters, facets, sorting."""
    caller()
    return search_deal_flow(args)


@blp.route("/suggest")
@blp.arguments(SuggestArgsSchema, location="query")
@blp.response(200, SuggestionSchema(many=True))
def suggest(args: dict):
    """Type-ahead on enterprise names and project titles: what was typed anywhere in the name,
    or a pinyin prefix of it (`zgc` or `zhongguancun` for 中关村…); hits on the name rank first."""
    caller()
    return suggest_names(args["q"], args["size"])
