"""Schemas of access requests to confidential financials and of the access log."""

from marshmallow import Schema, fields

from schemas.fields import Text, WholeNumber, enum_field
from torchfin.models.enums import AccessEvent, GrantState, ReadChannel


class PartySchema(Schema):
    """An enterprise or institution, as named beside a request."""

    id = WholeNumber()
    name = fields.String()


class AccessRequestSchema(Schema):
    """An institution asks to read an enterprise's financials."""

    purpose = Text(
        max_length=500,
        min_length=0,
        load_default="",
        metadata={"description": "why the institution wants the figures (shown to the SME)"},
    )


class AccessGrantSchema(Schema):
    """A request and the enterprise's decision on it."""

    id = WholeNumber()
    enterprise = fields.Nested(PartySchema)
    institution = fields.Nested(PartySchema)
    state = enum_field(GrantState)
    purpose = fields.String()
    decided_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class AccessLogEntrySchema(Schema):
    """A grant decision or a read of confidential data."""

    id = WholeNumber()
    at = fields.DateTime()
    event = enum_field(AccessEvent)
    channel = enum_field(ReadChannel, allow_none=True)
    user_id = WholeNumber(allow_none=True)
    institution = fields.Nested(PartySchema, allow_none=True)
    grant_id = WholeNumber(allow_none=True)
