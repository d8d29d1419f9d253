"""API tokens: exchange credentials for a scoped, expiring bearer token; list and revoke them;
sign out everywhere."""

from datetime import timedelta

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from schemas.auth import TokenInfoSchema, TokenRequestSchema, TokenSchema
from torchfin.api.common import PREFIX, SelectPage, caller
from torchfin.extensions import limiter
from torchfin.security import login_limit
from torchfin.services.accounts.tokens import issue_token, revoke_by_id, revoke_token, tokens_of
from torchfin.services.accounts.users import authenticate, sign_out_everywhere

blp = Blueprint("auth", __name__, url_prefix=f"{PREFIX}/auth", description="Bearer tokens")
BLUEPRINTS = (blp,)


@blp.route("/tokens")
class Tokens(MethodView):
    """Issue, list and revoke bearer tokens."""

    @limiter.limit(login_limit)
    @blp.arguments(TokenRequestSchema)
    @blp.response(201, TokenSchema)
    @blp.alt_response(401, description="Wrong credentials")
    def post(self, data: dict):
        """Exchange e-mail and password for a bearer token with scopes and a lifetime."""
        user = authenticate(data["email"], data["password"])
        if user is None:
            abort(401, message="Wrong e-mail or password.")
        hours = data["expires_in_hours"] or current_app.config["API_TOKEN_TTL_HOURS"]
        plain, token = issue_token(user, data["name"], timedelta(hours=hours), data["scopes"])
        return {
            "id": token.id,
            "token": plain,
            "scopes": token.scopes,
            "expires_at": token.expires_at,
        }

    @blp.response(200, TokenInfoSchema(many=True))
    @blp.paginate(SelectPage)
    def get(self):
        """List your tokens (live, expired and revoked); the tokens themselves are never shown."""
        return tokens_of(caller())

    @blp.response(204)
    def delete(self):
        """Revoke the bearer token this request carries (allowed whatever its scopes)."""
        caller()
        token = request.headers.get("Authorization", "").partition(" ")[2].strip()
        if not revoke_token(token):
            abort(400, message="This request was not made with a bearer token.")


@blp.route("/tokens/<int:token_id>", methods=["DELETE"])
@blp.response(204)
def revoke(token_id: int):
    """Revoke one of your tokens by id (admins: anyone's)."""
    revoke_by_id(token_id, caller())


@blp.route("/sessions", methods=["DELETE"])
@blp.response(204)
def end_all_sessions():
    """Sign out everywhere: end your session in every browser and revoke all your tokens, the
    one this request carries included."""
    sign_out_everywhere(caller())
