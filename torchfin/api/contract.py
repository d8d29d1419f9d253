"""What the OpenAPI document promises and the app keeps, found by running Schemathesis on it.

- Only the operations in PUBLIC_OPERATIONS answer without a caller; they say so with
  `security: []`. Every other operation refuses an anonymous caller with 401 before its
  arguments are parsed, so a stranger learns nothing from validation messages.
- Integer path ids stop at what SQL can hold: a larger one is a 404, not an overflow.
- Decimal bounds (`Range(max=Decimal("0.05"))`) are written as JSON numbers, as JSON Schema needs.
- X-Pagination is documented as what it is: a header carrying a JSON string.
- A 405 names the allowed methods in `Allow` (RFC 9110), which the JSON error body would lose.
- Every write takes an optional `Idempotency-Key` header (`torchfin.api.idempotency`).
"""

from decimal import Decimal

from apispec import BasePlugin
from flask import Flask, jsonify, request
from flask_login import current_user
from flask_smorest import Api
from flask_smorest.spec.plugins import FlaskPlugin
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.routing import IntegerConverter

from torchfin.api import WRITES
from torchfin.api.common import PREFIX, ROW_ID_MAX
from torchfin.services.idempotency import HEADER, KEY_PATTERN

# "METHOD /path" as in the OpenAPI document: reference data is readable by anyone, and a token
# is obtained with nothing but credentials.
PUBLIC_OPERATIONS = frozenset(
    {
        f"POST {PREFIX}/auth/tokens",
        f"GET {PREFIX}/zones",
        f"GET {PREFIX}/zones/{{zone_id}}",
        f"GET {PREFIX}/industries",
        f"GET {PREFIX}/industries/{{industry_id}}",
    }
)


class IdConverter(IntegerConverter):
    """`<int:...>` in URLs (API and pages): a non-negative integer an id column can hold; a
    larger one matches no route (404) instead of overflowing in PostgreSQL."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", ROW_ID_MAX)
        super().__init__(url_map, *args, **kwargs)


IDEMPOTENCY_KEY = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "description": "Retrying with the same key (for 24 hours) returns the first answer, with "
    "`Idempotent-Replayed: true`, and changes nothing; 409 while the first is still being "
    "answered, 422 when the key was used for a different request.",
    "schema": {"type": "string", "pattern": KEY_PATTERN},
}


class _ContractPlugin(BasePlugin):
    """Marks the public operations `security: []` and documents `Idempotency-Key` on writes as
    the spec is built."""

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        for method, operation in (operations or {}).items():
            if f"{method.upper()} {path}" in PUBLIC_OPERATIONS:
                operation["security"] = []
            elif method.upper() in WRITES:
                operation.setdefault("parameters", []).append(IDEMPOTENCY_KEY)


def _decimal_bounds(converter, field, ret: dict, **kwargs) -> dict:
    """JSON Schema wants numbers for minimum and maximum; apispec writes a Decimal field's bounds
    as the field serialises them, and an `as_string` Decimal serialises to "1.0000"."""
    for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if isinstance(ret.get(key), str | Decimal):
            ret[key] = float(ret[key])
    return {}


def init_contract(app: Flask, api: Api) -> None:
    """Install the converter, spec refinements and request hooks; call before the blueprints."""
    app.url_map.converters["int"] = IdConverter
    api.register_converter(
        IdConverter, lambda converter: {"type": "integer", "minimum": 0, "maximum": ROW_ID_MAX}
    )
    plugin = _ContractPlugin()
    plugin.init_spec(api.spec)
    api.spec.plugins.append(plugin)
    api.ma_plugin.converter.add_attribute_function(_decimal_bounds)
    api.spec.components.headers_lazy["PAGINATION"] = {
        "description": "Pagination metadata as a JSON object: total, total_pages, first_page, "
        "last_page, page, previous_page, next_page",
        "schema": {"type": "string"},
    }
    app.before_request(_refuse_anonymous_callers)
    app.register_error_handler(MethodNotAllowed, _method_not_allowed)


def _operation_label() -> str | None:
    if request.url_rule is None or not request.path.startswith(f"{PREFIX}/"):
        return None
    return f"{request.method} {FlaskPlugin.flaskpath2openapi(request.url_rule.rule)}"


def _refuse_anonymous_callers():
    label = _operation_label()
    if label is None or label in PUBLIC_OPERATIONS or request.method == "OPTIONS":
        return None
    if request.endpoint and request.endpoint.startswith("api-docs."):
        return None  # the OpenAPI document and its viewer are public
    if current_user.is_authenticated:
        return None
    message = "Sign in, or send 'Authorization: Bearer <token>'."
    return jsonify({"code": 401, "status": "Unauthorized", "message": message}), 401


def _method_not_allowed(error: MethodNotAllowed):
    if not request.path.startswith("/api/"):
        return error
    body = {"code": 405, "status": "Method Not Allowed", "message": error.description}
    return jsonify(body), 405, {"Allow": ", ".join(sorted(error.valid_methods or []))}
