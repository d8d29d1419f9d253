"""Who is calling: session cookies for pages and the API, bearer tokens for the API only.

A bearer token also limits what the request may do: its scopes (`read`, `write`) are checked
against the HTTP method before any view runs, so every endpoint is covered, present and future.
Pages never accept one: a read-only token must not write through a form.

A cookie (session or remember-me) names the user and their session generation
(`User.get_id`); signing out moves the generation on, so cookies copied before are refused.
The browser sends cookies with a forged cross-site request too, so an API write signed in by
cookie needs the page's CSRF token (header `X-CSRFToken`); a bearer token is never sent by a
browser on its own and needs none.
"""

from flask import Flask, Request, current_app, g, jsonify, request, session
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError

from torchfin.extensions import csrf, db
from torchfin.models import User
from torchfin.services.accounts.tokens import SAFE_METHODS, live_token, scope_for, scopes_of

# A token may always revoke itself, whatever its scopes: a leaked read-only token must be
# retirable with nothing but itself.
SELF_REVOCATION = ("DELETE", "/api/v1/auth/tokens")


def _bearer(req: Request) -> str | None:
    scheme, _, token = req.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def user_for_session(user_id: str) -> User | None:
    """The active user a cookie names ("<id>:<generation>", `User.get_id`), or None when the
    cookie is of an older session generation (signed out since) or of no generation at all."""
    number, _, generation = user_id.partition(":")
    try:
        key, issued_in = int(number), int(generation)
    except ValueError:
        return None
    user = db.session.get(User, key)
    if user is None or not user.active or user.session_generation != issued_in:
        return None
    return user


def init_login(app: Flask, login_manager: LoginManager) -> None:
    """Teach Flask-Login to load users from the session and from `Authorization: Bearer`."""
    login_manager.init_app(app)
    login_manager.login_view = "web.login"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = user_for_session(user_id)
        if user is None:
            # Have the browser drop a refused cookie instead of presenting it on every request
            # (a remember-me cookie left in place would also keep the bearer loader from running).
            session.pop("_user_id", None)
            session["_remember"] = "clear"
        return user

    @login_manager.request_loader
    def load_from_bearer(req: Request) -> User | None:
        plain = _bearer(req) if req.path.startswith("/api/") else None
        token = live_token(plain) if plain else None
        if token is None:
            return None
        g.api_token = token
        return token.user

    app.before_request(enforce_token_scope)
    app.before_request(require_csrf_for_cookie_writes)


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


def require_csrf_for_cookie_writes():
    """Refuse (403, JSON) an API write signed in by cookie that lacks the page's CSRF token."""
    if not request.path.startswith("/api/") or request.method in SAFE_METHODS:
        return None
    if not current_app.config["WTF_CSRF_ENABLED"] or not current_user.is_authenticated:
        return None
    if g.get("api_token") is not None:  # a bearer token, which no forged request can carry
        return None
    try:
        csrf.protect()
    except CSRFError as error:
        message = (
            f"{error.description} Signed in by cookie, API writes need the page's CSRF token in "
            "the X-CSRFToken header; scripts send 'Authorization: Bearer <token>' instead."
        )
        return jsonify({"code": 403, "status": "Forbidden", "message": message}), 403
    return None
