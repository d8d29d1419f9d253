"""HTTP hardening: security headers, body types and sizes, rate limits (Flask-Limiter, Redis)."""

import json
import secrets

from flask import Flask, current_app, g, jsonify, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user

# What an API request body may be; anything else is refused with 415 before it is parsed.
API_BODY_TYPES = {"application/json", "multipart/form-data"}
# How deep a JSON body may nest arrays and objects. The schemas need a few levels; the parsers
# recurse once per level, so a body 1,000 deep raised RecursionError (a 500) before this limit.
MAX_JSON_DEPTH = 64


def caller_key() -> str:
    """Rate-limit key: the signed-in user, else the client address."""
    if current_user.is_authenticated:
        # The id alone: get_id() also names the session generation, which signing out moves on,
        # and a user's budget must not start afresh with each sign-out.
        return f"user:{current_user.id}"
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
    app.before_request(_refuse_deep_json)
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


def nested_deeper_than(document: object, limit: int) -> bool:
    """Whether `document` nests lists and dicts more than `limit` deep.

    Walked level by level, never recursively, so no depth can exhaust the stack here.
    """
    level = [document] if isinstance(document, list | dict) else []
    for _depth in range(limit):
        level = [
            child
            for node in level
            for child in (node.values() if isinstance(node, dict) else node)
            if isinstance(child, list | dict)
        ]
    return bool(level)


def _refuse_deep_json():
    if not request.path.startswith("/api/") or not request.is_json:
        return None
    body = request.get_data(cache=True)  # cached: the view's parser reads the same bytes
    try:
        too_deep = nested_deeper_than(json.loads(body), MAX_JSON_DEPTH) if body else False
    except RecursionError:  # the parser's own stack guard: deeper than Python recurses
        too_deep = True
    except ValueError:  # not JSON at all: the view's parser answers that with its own 400
        return None
    if too_deep:
        message = (
            f"The request body is nested too deeply: at most {MAX_JSON_DEPTH} levels of arrays "
            "and objects."
        )
        return jsonify({"code": 400, "message": message}), 400
    return None


def _security_headers(response):
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    policy = current_app.config["CONTENT_SECURITY_POLICY"].replace("{nonce}", csp_nonce())
    headers.setdefault("Content-Security-Policy", policy)
    if current_app.config["SESSION_COOKIE_SECURE"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.path.startswith("/api/") and request.headers.get("Authorization"):
        headers.setdefault("Cache-Control", "no-store")
    return response
