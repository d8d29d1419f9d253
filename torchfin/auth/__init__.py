"""Who is calling: session cookies for pages, bearer tokens for the API (Flask-Login)."""

from flask import Flask, Request
from flask_login import LoginManager

from torchfin.extensions import db
from torchfin.models import User
from torchfin.services.accounts import user_for_token


def init_login(app: Flask, login_manager: LoginManager) -> None:
    """Teach Flask-Login to load users from the session and from `Authorization: Bearer`."""
    login_manager.init_app(app)
    login_manager.login_view = "web.login"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = db.session.get(User, int(user_id))
        return user if user and user.active else None

    @login_manager.request_loader
    def load_from_bearer(request: Request) -> User | None:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        return user_for_token(token.strip())
