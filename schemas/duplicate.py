"""Schemas of suspected duplicate enterprises and of merging them."""

from marshmallow import Schema, fields

from schemas.fields import DecimalString, WholeNumber, enum_field
from torchfin.models.enums import FlagStatus


class DuplicateFlagSchema(Schema):
    """A new enterprise whose name is very close to an existing one in the same zone."""

    id = WholeNumber()
    enterprise_id = WholeNumber(metadata={"description": "the newly registered enterprise"})
    candidate_id = WholeNumber(metadata={"description": "the existing enterprise it resembles"})
    enterprise_name = fields.String()
    candidate_name = fields.String()
    similarity = DecimalString(as_string=True, metadata={"description": "difflib ratio, 0-1"})
    status = enum_field(FlagStatus)
    decided_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class FlagQuerySchema(Schema):
    """Which flags to list."""

    status = enum_field(FlagStatus, load_default=FlagStatus.OPEN)


class MergeSchema(Schema):
    """Which of the two flagged enterprises survives the merge."""

    survivor_id = WholeNumber(required=True)
