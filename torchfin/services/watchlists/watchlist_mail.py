"""The mail and the in-app title that announce followed enterprises' events, in Chinese."""

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from torchfin.models import EnterpriseEvent, User
from torchfin.services.alerts.alert_mail import MAIL_LISTED, external_url
from torchfin.services.alerts.mailer import Mail

TITLE_NAMES = 3  # enterprises named in a notification's title; the rest are counted


def notification_title(events: list[EnterpriseEvent]) -> str:
    """The enterprises the events concern, as a notification keeps them (at most 200 chars)."""
    names = list(dict.fromkeys(e.enterprise.name for e in events))
    title = "、".join(names[:TITLE_NAMES])
    if len(names) > TITLE_NAMES:
        title += f" 等 {len(names)} 家"
    return title[:200]


def watchlist_mail(user: User, events: list[EnterpriseEvent]) -> Mail:
    """The mail listing the new events, each with a link to its enterprise (or project)."""
    links = {
        "manage": external_url("web.watchlist"),
        "events": {
            e.id: (
                external_url("web.project_detail", project_id=e.project_id)
                if e.project_id
                else external_url("web.enterprise_detail", enterprise_id=e.enterprise_id)
            )
            for e in events[:MAIL_LISTED]
        },
    }
    context = {
        "user": user,
        "events": events[:MAIL_LISTED],
        "more": max(0, len(events) - MAIL_LISTED),
        "total": len(events),
        "links": links,
    }
    # Mails go out in Chinese, the platform's default language; there is no request to ask.
    with force_locale("zh"):
        subject = _(
            "【火炬投融资】您关注的企业有 %(count)s 条新动态：%(names)s",
            count=len(events),
            names=notification_title(events),
        )
        text = render_template("mail/watchlist.txt", **context)
        html = render_template("mail/watchlist.html", **context)
    return Mail(to=user.email, subject=subject, text=text, html=html)
