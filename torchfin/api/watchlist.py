"""Watchlists: following enterprises (one, or a list of credit codes) and their latest events."""

from flask_smorest import Blueprint

from schemas.watchlist import (
    CodeListFileSchema,
    CodeListResultSchema,
    DeliveryArgsSchema,
    FollowCreateSchema,
    FollowSchema,
    WatchedEnterpriseSchema,
)
from torchfin.api.common import PREFIX, SelectPage, caller
from torchfin.services.watchlists import follows

blp = Blueprint(
    "watchlist",
    __name__,
    url_prefix=f"{PREFIX}/watchlist",
    description="Following enterprises and hearing of their events",
)
BLUEPRINTS = (blp,)


class WatchlistPage(SelectPage):
    """A page of follows, each with its enterprise's latest events."""

    @property
    def items(self) -> list:
        return follows.with_recent_events(super().items)


@blp.route("", methods=["GET"])
@blp.response(200, WatchedEnterpriseSchema(many=True))
@blp.paginate(WatchlistPage)
def watchlist():
    """List the enterprises you follow, newest first, each with its latest events."""
    return follows.user_follows(caller())


@blp.route("", methods=["POST"])
@blp.arguments(FollowCreateSchema)
@blp.response(201, FollowSchema)
def follow(data: dict):
    """Follow an enterprise (by id or credit code); following it again changes the delivery.

    Its events from now on reach you in-app and by mail: a published project, a round change,
    a financing, a listing or merger, a changed readiness result. Investors, fund managers
    and banks follow enterprises.
    """
    return follows.follow_enterprise(caller(), data)


@blp.route("/<int:enterprise_id>", methods=["DELETE"])
@blp.response(204)
def unfollow(enterprise_id: int):
    """Stop following an enterprise."""
    follows.unfollow(caller(), enterprise_id)


@blp.route("/codes", methods=["POST"])
@blp.arguments(CodeListFileSchema, location="files")
@blp.arguments(DeliveryArgsSchema, location="query")
@blp.response(200, CodeListResultSchema)
@blp.alt_response(422, description="The file cannot be read: empty, wrong type, too large")
def follow_codes(files: dict, args: dict):
    """Follow every enterprise an uploaded list of credit codes names.

    Lines with an invalid code, or a code no enterprise has, are listed under `problems` with
    their line number and a Chinese and English message; the other lines are followed. The
    same list again changes nothing (its enterprises come back under `already`).
    """
    upload = files["file"]
    return follows.follow_code_list(
        caller(), upload.filename or "", upload.stream.read(), args["delivery"]
    )
