"""HTTP hardening: security headers, body types and sizes, rate limits (Flask-Limiter, Redis)."""

import secrets

from flask import Flask, current_app, g, jsonify, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user

# What an API request body may be; anything else is refused with 415 before it is parsed.
API_BODY_TYPES = {"application/json", "multipart/form-data"}


def caller_key() -> str:
    """Rate-limit key: the signed-in user, else the client address."""
    if current_user.is_authenticated:
        return f"user:{current_user.get_id()}"
    return f"ip:{get_remote_address()}"


def login_limit() -> str:
    """Sign-in attempts allowed per client address (LOGIN_RATE_LIMIT)."""
    return current_app.config["LOGIN_RATE_LIMIT"]


def search_limit() -> str:
    """Searches allowed per user (SEARCH_RATE_LIMIT)."""
    return current_app.config["SEARCH_RATE_LIMIT"]


def write_limit() -> str:
    """API writes allowed per user (WRITE_RATE_LIMIT)."""
    return current_app.config["WRITE_RATE_LIMIT"]


def csp_nonce() -> str:
    """This response's script nonce: templates put it on the inline scripts they need
    (`<script nonce="{{ csp_nonce() }}">`); the CSP header names the same value."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def init_security(app: Flask, rate_limiter: Limiter) -> None:
    """Attach the limiter, the header policy and the request-body checks to `app`."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"])
    app.config.setdefault("RATELIMIT_KEY_PREFIX", app.config["RQ_QUEUE_PREFIX"])
    # Redis down must not take the pages down with it: count in memory until it returns.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    rate_limiter.init_app(app)
    app.before_request(_refuse_unexpected_bodies)
    app.after_request(_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.errorhandler(413)
    def too_large(error):
        limit = app.config["MAX_CONTENT_LENGTH"]
        message = f"The request body exceeds the {limit // (1024 * 1024)} MB limit."
        if request.path.startswith("/api/"):
            return jsonify({"code": 413, "message": message}), 413
        return message, 413

    @app.errorhandler(429)
    def too_many(error):
        message = f"Too many requests ({error.description}); please wait and try again."
        if request.path.startswith("/api/"):
            return jsonify({"code": 429, "message": message}), 429
        return message, 429


def _refuse_unexpected_bodies():
    if not request.path.startswith("/api/") or request.method not in {"POST", "PUT", "PATCH"}:
        return None
    has_body = bool(request.content_length) or request.headers.get("Transfer-Encoding")
    if has_body and request.mimetype not in API_BODY_TYPES:
        message = (
            f"Send JSON (Content-Type: application/json), not {request.mimetype or 'no type'}."
        )
        return jsonify({"code": 415, "message": message}), 415
    return None


def _security_headers(response):
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    policy = current_app.config["CONTENT_SECURITY_POLICY"].replace("{nonce}", csp_nonce())
    headers.setdefault("Content-Security-Policy", policy)
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.path.startswith("/api/") and request.headers.get("Authorization"):
        headers.setdefault("Cache-Control", "no-store")
    return response
