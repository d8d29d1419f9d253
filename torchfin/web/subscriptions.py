"""Saved searches on the pages: saving from the search page, 我的订阅 (pause, resume, delete),
the signed pause/delete links of alert mails (no sign-in needed), notifications, and the
development mail viewer."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from schemas.saved_search import SavedSearchCreateSchema
from torchfin.services.alerts import alert_mail, mail_links, saved_searches
from torchfin.services.alerts.mailer import recent_mails
from torchfin.services.alerts.notifications import (
    mark_all_read,
    mark_read,
    notified_events,
    notified_projects,
    recent_notifications,
    unread_count,
)
from torchfin.services.permissions import is_admin
from torchfin.web import web
from torchfin.web.deal_flow import error_messages, parse_search_args
from torchfin.web.form_flow import submit_values
from torchfin.web.session_user import session_user

saved_search_create_schema = SavedSearchCreateSchema()
# Fields of the save form that are no search argument, as the form labels them.
SAVE_FIELDS = {"name": _l("名称"), "frequency": _l("提醒频率"), "query": _l("搜索")}
NOTIFICATIONS_SHOWN = 50
MAILS_SHOWN = 50


@web.app_context_processor
def _unread_notifications() -> dict:
    # The nav shows the unread count on every page of a signed-in user.
    def count() -> int:
        return unread_count(session_user()) if current_user.is_authenticated else 0

    return {"unread_notifications": count}


def _subscriptions_page(errors: list | None = None, status: int = 200):
    page = render_template(
        "subscriptions.html",
        saved=saved_searches.saved_searches_of(session_user()),
        search_url=alert_mail.search_url,
        errors=errors or [],
    )
    return page, status


@web.get("/subscriptions")
@login_required
def subscriptions():
    """我的订阅: the caller's saved searches with pause, resume and delete."""
    return _subscriptions_page()


@web.post("/subscriptions")
@login_required
def save_search():
    """Save the search the form carries; bad input is shown with status 422 and nothing saved."""
    data = {
        "name": request.form.get("name", ""),
        "frequency": request.form.get("frequency", "daily"),
        "query": parse_search_args(request.form),
    }
    outcome = submit_values(
        data,
        saved_search_create_schema,
        lambda loaded: saved_searches.create_saved_search(session_user(), loaded),
    )
    if not outcome.done:
        return _subscriptions_page(error_messages(outcome.messages, SAVE_FIELDS), outcome.status)
    flash(
        _("已保存搜索「%(name)s」，有新项目发布时会提醒您。", name=outcome.result.name), "success"
    )
    return redirect(url_for("web.subscriptions"))


@web.post("/subscriptions/<int:saved_search_id>/<any(pause, resume, delete):action>")
@login_required
def subscription_action(saved_search_id: int, action: str):
    """Pause, resume or delete one of the caller's saved searches."""
    if action == "delete":
        saved_searches.delete_saved_search(session_user(), saved_search_id)
        flash(_("订阅已删除。"), "info")
    else:
        saved_searches.set_paused(session_user(), saved_search_id, action == "pause")
        flash(_("订阅已暂停。") if action == "pause" else _("订阅已恢复。"), "info")
    return redirect(url_for("web.subscriptions"))


@web.route("/subscriptions/mail/<token>", methods=["GET", "POST"])
def mail_action(token: str):
    """A link from an alert mail: GET asks to confirm, POST pauses or deletes. No sign-in:
    the signed token is the authority (mail scanners that fetch links only ever GET)."""
    if request.method == "GET":
        pending = mail_links.read_mail_token(token)
        return render_template("mail_action.html", pending=pending, token=token, done=False)
    done = mail_links.apply_mail_token(token)
    return render_template("mail_action.html", pending=done, token=token, done=True)


@web.get("/notifications")
@login_required
def notifications():
    """The caller's notifications, newest first, with the projects each announces."""
    rows = recent_notifications(session_user(), NOTIFICATIONS_SHOWN)
    return render_template(
        "notifications.html",
        notifications=rows,
        projects=notified_projects(rows),
        events=notified_events(rows),
    )


@web.post("/notifications/read")
@login_required
def notifications_read():
    """Mark one notification (form field `id`) or all of them read."""
    notification_id = request.form.get("id", type=int)
    if notification_id is None:
        mark_all_read(session_user())
    else:
        mark_read(session_user(), notification_id)
    return redirect(url_for("web.notifications"))


@web.get("/dev/mails")
@login_required
def dev_mails():
    """Mails the sandbox mailer kept: in development and tests, and for admins."""
    if not (current_app.debug or current_app.testing or is_admin(session_user())):
        abort(404)
    return render_template("dev_mails.html", mails=recent_mails(MAILS_SHOWN))
