"""Schemas of watchlists: following an enterprise (by id or credit code), uploading a list of
credit codes, and the watchlist with each enterprise's latest events."""

from flask_smorest.fields import Upload
from marshmallow import Schema, fields

from schemas.enterprise_reference import EnterpriseReferenceSchema
from schemas.fields import WholeNumber, enum_field
from torchfin.models import EnterpriseEventKind, FollowDelivery
from torchfin.models.enums import Stage

DELIVERY_DESCRIPTION = "instant (as events happen) or daily (one digest a day)"


class FollowCreateSchema(EnterpriseReferenceSchema):
    """The enterprise to follow (its id or credit code) and how to hear of its events."""

    delivery = enum_field(
        FollowDelivery,
        load_default=FollowDelivery.INSTANT,
        metadata={"description": DELIVERY_DESCRIPTION},
    )


class DeliveryArgsSchema(Schema):
    """How to hear of the events of the enterprises an uploaded list names."""

    delivery = enum_field(
        FollowDelivery,
        load_default=FollowDelivery.INSTANT,
        metadata={"description": DELIVERY_DESCRIPTION},
    )


class CodeListFileSchema(Schema):
    """A multipart upload: the list of credit codes in the `file` field."""

    file = Upload(
        required=True,
        metadata={
            "description": "CSV (UTF-8 or GBK), plain text or XLSX: one unified social credit "
            "code per line (first column); a header line 统一社会信用代码 is skipped, "
            "full-width characters are folded"
        },
    )


class EnterpriseEventSchema(Schema):
    """Something that happened to a followed enterprise."""

    id = WholeNumber()
    enterprise_id = WholeNumber()
    kind = enum_field(EnterpriseEventKind)
    summary = fields.String(
        metadata={"description": "the project title, ticker or counterparty it concerns"}
    )
    stage = enum_field(Stage, allow_none=True)
    project_id = WholeNumber(allow_none=True)
    occurred_at = fields.DateTime()


class FollowedEnterpriseSchema(Schema):
    """The enterprise of a follow, as anyone signed in sees it."""

    id = WholeNumber()
    name = fields.String()
    credit_code = fields.String()


class FollowSchema(Schema):
    """A follow, as just created or changed."""

    enterprise_id = WholeNumber()
    delivery = enum_field(FollowDelivery)
    created_at = fields.DateTime()


class WatchedEnterpriseSchema(Schema):
    """A followed enterprise with its latest events, newest first."""

    enterprise = fields.Nested(FollowedEnterpriseSchema)
    delivery = enum_field(FollowDelivery)
    followed_at = fields.DateTime()
    events = fields.List(fields.Nested(EnterpriseEventSchema))


class CodeLineProblemSchema(Schema):
    """A line of the uploaded list not followed, with why (Chinese / English)."""

    line = WholeNumber()
    code = fields.String()
    message = fields.String()


class CodeListResultSchema(Schema):
    """What an uploaded list did: enterprises newly followed, already followed, bad lines."""

    followed = fields.List(WholeNumber(), metadata={"description": "enterprise ids now followed"})
    already = fields.List(WholeNumber(), metadata={"description": "enterprise ids followed before"})
    problems = fields.List(fields.Nested(CodeLineProblemSchema))
