"""Listings and mergers of enterprises and the rewards zones pay for them."""

from flask_smorest import Blueprint

from schemas.listing import ListingEventSchema, RewardSchema
from torchfin.api.common import PREFIX, caller
from torchfin.services.finance import incentives

blp = Blueprint(
    "listings",
    __name__,
    url_prefix=f"{PREFIX}/listings",
    description="Listing and M&A incentives",
)
BLUEPRINTS = (blp,)


@blp.post("")
@blp.arguments(ListingEventSchema)
@blp.response(201, ListingEventSchema)
def record(data: dict):
    """Record a listing or merger (the enterprise's zone administrators)."""
    return incentives.record_event(caller(), data)


@blp.get("/zones/<code>")
@blp.response(200, ListingEventSchema(many=True))
def zone_events(code: str):
    """The zone's listings and mergers with their rewards."""
    return incentives.zone_events(caller(), code)


@blp.post("/<int:event_id>/rewards")
@blp.arguments(RewardSchema)
@blp.response(201, RewardSchema)
def grant(data: dict, event_id: int):
    """Record a reward granted for an event."""
    return incentives.grant_reward(caller(), event_id, data)


@blp.post("/rewards/<int:reward_id>/pay")
@blp.response(200, RewardSchema)
@blp.alt_response(409, description="Already paid")
def pay(reward_id: int):
    """Pay a recorded reward: booked in the ledger from the zone to the enterprise."""
    return incentives.pay_reward(caller(), reward_id)
