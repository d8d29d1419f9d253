"""The signed-in user, as the services take it."""

from flask_login import current_user

from torchfin.models import User


def session_user() -> User:
    """The User record of the request's session: Flask-Login's proxy unwrapped, because the
    services take the model itself (they compare it, store it, pass it on)."""
    return current_user._get_current_object()
