"""Language choice: Chinese first, English on request (?lang=en, remembered in the session)."""

from flask import current_app, request, session
from flask_babel import get_locale


def select_locale() -> str:
    """The locale of this request: ?lang=, then the session, then Chinese."""
    supported = current_app.config["BABEL_SUPPORTED_LOCALES"]
    wanted = request.args.get("lang")
    if wanted in supported:
        session["lang"] = wanted
        return wanted
    return session.get("lang") if session.get("lang") in supported else supported[0]


def request_language() -> str:
    """The language of this request, for pages and the API alike: "zh" or "en"."""
    locale = get_locale()
    return locale.language if locale is not None else "zh"
