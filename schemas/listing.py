"""Schemas of listings, mergers and the rewards zones grant for them."""

from decimal import Decimal

from marshmallow import Schema, fields

from schemas.fields import MARKET_EPOCH, DateWithin, Money, Text, WholeNumber, enum_field
from torchfin.models.enums import ApplicationState, ListingStage, ListingVenue


class RewardSchema(Schema):
    """A reward granted under a zone's policy: an application of its legacy reward policy.

    Its status is "recorded" until the payout through the gateway is booked, then "paid".
    """

    id = WholeNumber(dump_only=True)
    policy = Text(required=True, max_length=200, attribute="note")
    amount = Money(required=True, minimum=Decimal("0.01"))
    status = fields.Method("_status", metadata={"enum": ["recorded", "paid"]})
    payment_id = fields.Integer(dump_only=True, allow_none=True)

    def _status(self, reward) -> str:
        return "paid" if reward.state == ApplicationState.PAID else "recorded"


class ListingEventSchema(Schema):
    """A stage of a listing (NEEQ, main boards) or of a merger of an enterprise, with its
    rewards; `stage` defaults to listed (what every event was before stages were recorded)."""

    id = WholeNumber(dump_only=True)
    enterprise_id = WholeNumber(required=True)
    venue = enum_field(ListingVenue, required=True)
    stage = enum_field(
        ListingStage,
        load_default=ListingStage.LISTED,
        metadata={
            "description": (
                "filed 申报受理, approved 审核通过/注册, listed 上市/挂牌 (a merger: completed)"
            )
        },
    )
    event_on = DateWithin(earliest=MARKET_EPOCH, years_ahead=0, required=True)
    reference = Text(
        required=True, max_length=200, metadata={"description": "ticker, or the counterparty"}
    )
    rewards = fields.List(fields.Nested(RewardSchema), dump_only=True)
