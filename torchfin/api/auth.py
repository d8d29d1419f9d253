"""API tokens: exchange credentials for a bearer token, revoke it."""

from datetime import timedelta

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from schemas.auth import TokenRequestSchema, TokenSchema
from torchfin.api.common import PREFIX, caller
from torchfin.extensions import limiter
from torchfin.security import login_limit
from torchfin.services.accounts import authenticate, issue_token, revoke_token

blp = Blueprint("auth", __name__, url_prefix=f"{PREFIX}/auth", description="Bearer tokens")
BLUEPRINTS = (blp,)


@blp.route("/tokens")
class Tokens(MethodView):
    """Issue and revoke bearer tokens."""

    @limiter.limit(login_limit)
    @blp.arguments(TokenRequestSchema)
    @blp.response(201, TokenSchema)
    @blp.alt_response(401, description="Wrong credentials")
    def post(self, data: dict):
        """Exchange e-mail and password for a bearer token."""
        user = authenticate(data["email"], data["password"])
        if user is None:
            abort(401, message="Wrong e-mail or password.")
        ttl = timedelta(hours=current_app.config["API_TOKEN_TTL_HOURS"])
        plain, token = issue_token(user, data["name"], ttl)
        return {"token": plain, "expires_at": token.expires_at}

    @blp.response(204)
    def delete(self):
        """Revoke the bearer token this request carries."""
        caller()
        token = request.headers.get("Authorization", "").partition(" ")[2].strip()
        if not revoke_token(token):
            abort(400, message="This request was not made with a bearer token.")
