"""Schemas of saved searches (with their alert frequency) and of in-app notifications."""

from marshmallow import Schema, fields, post_load

from schemas.fields import Flag, Text, WholeNumber, enum_field
from schemas.search import SearchArgsSchema
from torchfin.models import AlertFrequency

# What a saved search keeps of a search: its words, filters and order, not the page it was on.
NOT_SAVED = ("kind", "page", "page_size", "cursor")


class SavedQuerySchema(SearchArgsSchema):
    """The search a saved search runs: the project search arguments without paging."""

    class Meta:
        exclude = NOT_SAVED


saved_query_schema = SavedQuerySchema()


def canonical_query(args: dict) -> dict:
    """Validated search arguments as plain JSON (strings, numbers, lists), unset ones left out.

    The result loads through SavedQuerySchema again to the same arguments, and doubles as the
    query string of the search page.
    """
    dumped = saved_query_schema.dump(args)
    return {name: value for name, value in dumped.items() if value not in (None, "", [])}


class SavedSearchCreateSchema(Schema):
    """A search to keep: a name, how often to alert, and the search itself."""

    name = Text(required=True, max_length=100)
    frequency = enum_field(AlertFrequency, load_default=AlertFrequency.DAILY)
    query = fields.Nested(SavedQuerySchema, required=True)

    @post_load
    def _canonical(self, data: dict, **kwargs) -> dict:
        data["query"] = canonical_query(data["query"])
        return data


class SavedSearchPatchSchema(Schema):
    """Changes to a saved search: rename, another frequency, pause or resume."""

    name = Text(max_length=100)
    frequency = enum_field(AlertFrequency)
    paused = Flag()


class SavedSearchSchema(Schema):
    """A saved search as shown to its owner."""

    id = WholeNumber()
    name = fields.String()
    frequency = enum_field(AlertFrequency)
    query = fields.Dict(metadata={"description": "the search arguments, as in GET /search"})
    paused = fields.Boolean()
    created_at = fields.DateTime()
    checked_through = fields.DateTime(
        metadata={"description": "projects published before this were already considered"}
    )
    last_notified_at = fields.DateTime(allow_none=True)


class NotificationSchema(Schema):
    """An in-app notification: new projects for one of the caller's saved searches, or new
    events of enterprises the caller follows (`event_ids`, as GET /watchlist lists them)."""

    id = WholeNumber()
    title = fields.String(
        metadata={"description": "the saved search's name, or the followed enterprises' names"}
    )
    saved_search_id = WholeNumber(allow_none=True)
    project_ids = fields.List(WholeNumber())
    event_ids = fields.List(WholeNumber())
    created_at = fields.DateTime()
    read = fields.Boolean()


class UnreadCountSchema(Schema):
    """How many notifications are unread."""

    unread = WholeNumber()
