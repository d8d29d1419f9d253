"""Schemas of payments carried out through the gateway."""

from marshmallow import Schema, fields

from schemas.fields import Money, WholeNumber, enum_field
from torchfin.models.enums import PaymentPurpose, PaymentState


class PaymentSchema(Schema):
    """A payment order and how it ended."""

    id = WholeNumber()
    idempotency_key = fields.String()
    purpose = enum_field(PaymentPurpose)
    amount = Money()
    payer = fields.String()
    payee = fields.String()
    subject = fields.String()
    state = enum_field(PaymentState)
    gateway_reference = fields.String(allow_none=True)
    failure = fields.String(allow_none=True)
    created_at = fields.DateTime()
    completed_at = fields.DateTime(allow_none=True)
