"""The JSON API (flask-smorest): OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

from flask_smorest import Api
from flask_wtf import CSRFProtect

from torchfin.extensions import limiter
from torchfin.security import caller_key, write_limit

WRITES = ["POST", "PUT", "PATCH", "DELETE"]


def register_api(api: Api, csrf: CSRFProtect) -> None:
    """Mount every API blueprint; the API authenticates by token, so CSRF guards only forms."""
    from torchfin.api import (
        access_grants,
        auth,
        dashboards,
        data_room,
        duplicates,
        enterprises,
        funds,
        guarantees,
        institutions,
        listings,
        matches,
        policies,
        pool_batches,
        pools,
        projects,
        readiness,
        reference,
        registry_imports,
        saved_searches,
        search,
        watchlist,
    )

    for module in (
        auth,
        reference,
        enterprises,
        projects,
        institutions,
        search,
        readiness,
        funds,
        dashboards,
        listings,
        access_grants,
        duplicates,
        guarantees,
        pools,
        pool_batches,
        registry_imports,
        policies,
        saved_searches,
        watchlist,
        matches,
        data_room,
    ):
        for blueprint in module.BLUEPRINTS:
            csrf.exempt(blueprint)
            limiter.limit(write_limit, key_func=caller_key, methods=WRITES)(blueprint)
            api.register_blueprint(blueprint)
