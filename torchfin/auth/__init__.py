"""Who is calling: session cookies for pages, bearer tokens for the API (Flask-Login).

A bearer token also limits what the request may do: its scopes (`read`, `write`) are checked
against the HTTP method before any view runs, so every endpoint is covered, present and future.
"""

from flask import Flask, Request, g, jsonify, request
from flask_login import LoginManager, current_user

from torchfin.extensions import db
from torchfin.models import User
from torchfin.services.tokens import live_token, scope_for, scopes_of

# A token may always revoke itself, whatever its scopes: a leaked read-only token must be
# retirable with nothing but itself.
SELF_REVOCATION = ("DELETE", "/api/v1/auth/tokens")


def _bearer(req: Request) -> str | None:
    scheme, _, token = req.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def init_login(app: Flask, login_manager: LoginManager) -> None:
    """Teach Flask-Login to load users from the session and from `Authorization: Bearer`."""
    login_manager.init_app(app)
    login_manager.login_view = "web.login"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = db.session.get(User, int(user_id))
        return user if user and user.active else None

    @login_manager.request_loader
    def load_from_bearer(req: Request) -> User | None:
        plain = _bearer(req)
        token = live_token(plain) if plain else None
        if token is None:
            return None
        g.api_token = token
        return token.user

    app.before_request(enforce_token_scope)


def enforce_token_scope():
    """Refuse (403, JSON) an API request whose bearer token lacks the scope its method needs."""
    if not request.path.startswith("/api/") or _bearer(request) is None:
        return None
    if (request.method, request.path.rstrip("/")) == SELF_REVOCATION:
        return None
    if not current_user.is_authenticated:  # loads the token; an invalid one is a 401 later
        return None
    token = g.get("api_token")
    if token is None:  # signed in by session cookie, not by the token
        return None
    needed = scope_for(request.method)
    granted = scopes_of(token)
    if needed in granted:
        return None
    message = (
        f"This token's scopes are {', '.join(sorted(granted))}: {request.method} needs a token "
        f'with the \'{needed}\' scope (POST /api/v1/auth/tokens with "scopes": ["{needed}"]).'
    )
    return jsonify({"code": 403, "status": "Forbidden", "message": message}), 403
