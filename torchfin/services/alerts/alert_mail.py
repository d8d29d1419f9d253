"""The alert mail: its links (on PUBLIC_BASE_URL) and its text and HTML, in Chinese."""

from urllib.parse import urlencode

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from torchfin.models import (
    Project,
    SavedSearch,
)
from torchfin.services.alerts.mail_links import mail_token
from torchfin.services.alerts.mailer import Mail

MAIL_LISTED = 20  # projects listed in one mail; the rest are counted


def external_url(endpoint: str, **values) -> str:
    """An absolute link for a mail, on PUBLIC_BASE_URL (there is no request to take it from)."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return f"{base}{path}"


def search_url(query: dict, endpoint: str = "web.search") -> str:
    """The search page (or an export) for a saved query, as a link."""
    pairs = [
        (name, v)
        for name, value in query.items()
        for v in (value if isinstance(value, list) else [value])
    ]
    return f"{external_url(endpoint)}?{urlencode(pairs)}" if pairs else external_url(endpoint)


def alert_mail(saved: SavedSearch, projects: list[Project]) -> Mail:
    """The alert mail listing the new projects, with pause and delete links that need no login."""
    links = {
        "search": search_url(saved.query),
        "manage": external_url("web.subscriptions"),
        "pause": external_url("web.mail_action", token=mail_token(saved, "pause")),
        "delete": external_url("web.mail_action", token=mail_token(saved, "delete")),
        "projects": {p.id: external_url("web.project_detail", project_id=p.id) for p in projects},
    }
    context = {
        "saved": saved,
        "projects": projects[:MAIL_LISTED],
        "more": max(0, len(projects) - MAIL_LISTED),
        "total": len(projects),
        "links": links,
    }
    # Mails go out in Chinese, the platform's default language; there is no request to ask.
    with force_locale("zh"):
        subject = _(
            "【火炬投融资】订阅「%(name)s」有 %(count)s 个新项目",
            name=saved.name,
            count=len(projects),
        )
        text = render_template("mail/alert.txt", **context)
        html = render_template("mail/alert.html", **context)
    return Mail(to=saved.user.email, subject=subject, text=text, html=html)
