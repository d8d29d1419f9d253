"""我的关注 on the pages: following from search results and the enterprise page, the watchlist
with each enterprise's recent events, the delivery choice, and uploading a list of codes."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from marshmallow import ValidationError

from schemas.watchlist import DeliveryArgsSchema, FollowCreateSchema
from torchfin.services.errors import Invalid
from torchfin.services.watchlists import follows
from torchfin.web import web
from torchfin.web.deal_flow import error_messages
from torchfin.web.form_flow import submit_values
from torchfin.web.labels import ALERT_FREQUENCIES
from torchfin.web.session_user import session_user
from torchfin.web.views import local_path

follow_create_schema = FollowCreateSchema()
delivery_args_schema = DeliveryArgsSchema()
FOLLOW_FIELDS = {"delivery": _l("提醒方式"), "enterprise_id": _l("企业"), "file": _l("文件")}
# How followers may hear of events: the saved searches' wording of the same two choices.
DELIVERY_OPTIONS = [(value, ALERT_FREQUENCIES[value]) for value in ("instant", "daily")]


@web.app_context_processor
def _follow_buttons() -> dict:
    # Search results and the enterprise page show 关注 / 取消关注 to those who follow; the
    # caller's follows are read once per request, however many hits show a button.
    def followed() -> set[int]:
        if "followed_enterprises" not in g:
            g.followed_enterprises = (
                follows.followed_ids(session_user()) if current_user.is_authenticated else set()
            )
        return g.followed_enterprises

    def may_follow() -> bool:
        return current_user.is_authenticated and follows.may_follow(session_user())

    return {"followed_enterprises": followed, "may_follow_enterprises": may_follow}


def _watchlist_page(errors: list | None = None, result=None, status: int = 200):
    page = render_template(
        "watchlist.html",
        watched=follows.with_recent_events(follows.follows_of(session_user())),
        delivery_options=DELIVERY_OPTIONS,
        errors=errors or [],
        result=result,
    )
    return page, status


def _back_or_watchlist():
    return redirect(local_path(request.form.get("next")) or url_for("web.watchlist"))


@web.get("/watchlist")
@login_required
def watchlist():
    """我的关注: the followed enterprises with their recent events and delivery."""
    return _watchlist_page()


@web.post("/watchlist/<int:enterprise_id>/follow")
@login_required
def watchlist_follow(enterprise_id: int):
    """Follow an enterprise (or change its delivery); back to the page the button was on."""
    data = {"enterprise_id": enterprise_id, "delivery": request.form.get("delivery", "instant")}
    outcome = submit_values(
        data, follow_create_schema, lambda loaded: follows.follow_enterprise(session_user(), loaded)
    )
    if not outcome.done:
        return _watchlist_page(error_messages(outcome.messages, FOLLOW_FIELDS), status=422)
    name = outcome.result.enterprise.name
    flash(_("已关注「%(name)s」，有新动态时会通知您。", name=name), "success")
    return _back_or_watchlist()


@web.post("/watchlist/<int:enterprise_id>/unfollow")
@login_required
def watchlist_unfollow(enterprise_id: int):
    """Stop following an enterprise; back to the page the button was on."""
    follows.unfollow(session_user(), enterprise_id)
    flash(_("已取消关注。"), "info")
    return _back_or_watchlist()


@web.post("/watchlist/codes")
@login_required
def watchlist_codes():
    """Follow the enterprises of an uploaded code list; the page lists the lines not followed."""
    upload = request.files.get("file")
    delivery = request.form.get("delivery", "instant")
    try:
        loaded = delivery_args_schema.load({"delivery": delivery})
        result = follows.follow_code_list(
            session_user(),
            upload.filename if upload else "",
            upload.stream.read() if upload else b"",
            loaded["delivery"],
        )
    except ValidationError as error:
        return _watchlist_page(error_messages(error.messages, FOLLOW_FIELDS), status=422)
    except Invalid as error:
        return _watchlist_page(error_messages(error.errors, FOLLOW_FIELDS), status=error.status)
    return _watchlist_page(result=result)
