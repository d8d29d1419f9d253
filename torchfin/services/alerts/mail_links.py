"""The signed links of alert mails: pausing or deleting a saved search without signing in."""

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from torchfin.extensions import db
from torchfin.models import (
    SavedSearch,
)
from torchfin.services.alerts.saved_searches import apply_pause, remove
from torchfin.services.errors import Invalid, NotFound

TOKEN_SALT = "torchfin.saved-search-mail"
TOKEN_MAX_AGE = 90 * 24 * 3600  # seconds a mail's pause/delete link keeps working
MAIL_ACTIONS = ("pause", "delete")


@dataclass(frozen=True)
class MailAction:
    """What a mail link asks for: pause or delete this saved search."""

    saved_search: SavedSearch
    action: str


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)


def mail_token(saved: SavedSearch, action: str) -> str:
    """A signed token that lets the mail's reader `action` the search without signing in."""
    return _serializer().dumps({"saved_search_id": saved.id, "action": action})


def read_mail_token(token: str) -> MailAction:
    """The action a token grants; Invalid when it was tampered with or expired."""
    try:
        payload = _serializer().loads(token, max_age=TOKEN_MAX_AGE)
    except SignatureExpired as exc:
        raise Invalid("expired link", {"token": ["This link has expired."]}) from exc
    except BadSignature as exc:
        raise Invalid("invalid link", {"token": ["This link is not valid."]}) from exc
    if not isinstance(payload, dict) or payload.get("action") not in MAIL_ACTIONS:
        raise Invalid("invalid link", {"token": ["This link is not valid."]})
    saved = db.session.get(SavedSearch, payload.get("saved_search_id"))
    if saved is None:
        raise NotFound("this saved search was already deleted")
    return MailAction(saved, payload["action"])


def apply_mail_token(token: str) -> MailAction:
    """Carry out what a mail link asks for (pause or delete)."""
    request = read_mail_token(token)
    if request.action == "pause":
        apply_pause(request.saved_search, True)
        db.session.commit()
    else:
        remove(request.saved_search)
    return request
