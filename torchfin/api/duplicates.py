"""Suspected duplicate enterprises: the admin's list, merging and dismissing."""

from flask_smorest import Blueprint

from schemas.duplicate import DuplicateFlagSchema, FlagQuerySchema, MergeSchema
from schemas.enterprise import EnterpriseSchema
from torchfin.api.common import PREFIX, SelectPage, caller
from torchfin.services.registry import duplicates

blp = Blueprint(
    "duplicates", __name__, url_prefix=f"{PREFIX}/duplicates", description="Suspected duplicates"
)
BLUEPRINTS = (blp,)


@blp.route("", methods=["GET"])
@blp.arguments(FlagQuerySchema, location="query")
@blp.response(200, DuplicateFlagSchema(many=True))
@blp.paginate(SelectPage)
def list_flags(args: dict):
    """Enterprises flagged as possible duplicates (admins)."""
    return duplicates.list_flags(caller(), args["status"])


@blp.route("/<int:flag_id>/merge", methods=["POST"])
@blp.arguments(MergeSchema)
@blp.response(200, EnterpriseSchema)
@blp.alt_response(409, description="The flag is already resolved")
def merge(data: dict, flag_id: int):
    """Merge the flagged pair into the survivor; the other enterprise is deleted."""
    return duplicates.merge(caller(), flag_id, data["survivor_id"])


@blp.route("/<int:flag_id>/dismiss", methods=["POST"])
@blp.response(200, DuplicateFlagSchema)
@blp.alt_response(409, description="The flag is already resolved")
def dismiss(flag_id: int):
    """Close the flag: the two enterprises are distinct."""
    return duplicates.dismiss(caller(), flag_id)
