"""Saved searches with alerts, and the in-app notifications they produce."""

from flask.views import MethodView
from flask_smorest import Blueprint

from schemas.saved_search import (
    NotificationSchema,
    SavedSearchCreateSchema,
    SavedSearchPatchSchema,
    SavedSearchSchema,
    UnreadCountSchema,
)
from torchfin.api.common import PREFIX, SelectPage, caller
from torchfin.services.alerts import notifications, saved_searches

blp = Blueprint(
    "saved_searches",
    __name__,
    url_prefix=f"{PREFIX}/saved-searches",
    description="Saved searches and their alerts",
)
notifications_blp = Blueprint(
    "notifications", __name__, url_prefix=f"{PREFIX}/notifications", description="Notifications"
)
BLUEPRINTS = (blp, notifications_blp)


@blp.route("")
class SavedSearches(MethodView):
    """The caller's saved searches."""

    @blp.response(200, SavedSearchSchema(many=True))
    @blp.paginate(SelectPage)
    def get(self):
        """List your saved searches, newest first."""
        return saved_searches.user_saved_searches(caller())

    @blp.arguments(SavedSearchCreateSchema)
    @blp.response(201, SavedSearchSchema)
    def post(self, data: dict):
        """Save a search; alerts cover projects published from now on."""
        return saved_searches.create_saved_search(caller(), data)


@blp.route("/<int:saved_search_id>")
class SavedSearchById(MethodView):
    """One saved search."""

    @blp.response(200, SavedSearchSchema)
    def get(self, saved_search_id: int):
        """Read one of your saved searches."""
        return saved_searches.get_saved_search(caller(), saved_search_id)

    @blp.arguments(SavedSearchPatchSchema)
    @blp.response(200, SavedSearchSchema)
    def patch(self, data: dict, saved_search_id: int):
        """Rename, change the frequency, pause (paused: true) or resume a saved search."""
        return saved_searches.update_saved_search(caller(), saved_search_id, data)

    @blp.response(204)
    def delete(self, saved_search_id: int):
        """Delete a saved search."""
        saved_searches.delete_saved_search(caller(), saved_search_id)


@notifications_blp.route("")
@notifications_blp.response(200, NotificationSchema(many=True))
@notifications_blp.paginate(SelectPage)
def list_notifications():
    """List your notifications, newest first."""
    return notifications.user_notifications(caller())


@notifications_blp.route("/unread-count")
@notifications_blp.response(200, UnreadCountSchema)
def unread():
    """How many of your notifications are unread."""
    return {"unread": notifications.unread_count(caller())}


@notifications_blp.route("/<int:notification_id>/read", methods=["POST"])
@notifications_blp.response(200, NotificationSchema)
def read_one(notification_id: int):
    """Mark a notification read."""
    return notifications.mark_read(caller(), notification_id)


@notifications_blp.route("/read-all", methods=["POST"])
@notifications_blp.response(200, UnreadCountSchema)
def read_all():
    """Mark all your notifications read; `unread` is what is left (0)."""
    notifications.mark_all_read(caller())
    return {"unread": notifications.unread_count(caller())}
