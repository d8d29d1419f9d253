"""Schemas of credit-guarantee cases: applying, acting on a case, reading it."""

from marshmallow import Schema, fields, validate

from schemas.fields import (
    DecimalString,
    Money,
    MoneyDay,
    Text,
    WholeNumber,
    enum_field,
)
from schemas.rates import rate
from torchfin.models.enums import GuaranteeState


class GuaranteeApplySchema(Schema):
    """An enterprise's application for a guaranteed bank loan."""

    bank_id = WholeNumber(required=True)
    agency_id = WholeNumber(required=True)
    principal = Money(required=True, minimum=1)
    term_months = WholeNumber(required=True, validate=validate.Range(min=1, max=120))
    loan_rate = rate("0.36", required=True)
    fee_rate = rate("0.10", required=True)
    purpose = Text(max_length=2000, min_length=0, load_default="")


class GuaranteeActionSchema(Schema):
    """What an action on a case may carry; which fields an action requires is the service's rule."""

    note = Text(max_length=2000, min_length=0)
    due_diligence_report = Text(max_length=10000)
    risk_opinion = Text(max_length=10000)
    committee_resolution = Text(max_length=10000)
    reason = Text(max_length=2000)
    contract_no = Text(max_length=60)
    counter_guarantees = fields.List(Text(max_length=200), validate=validate.Length(min=1, max=20))
    loan_no = Text(max_length=60)
    repaid_on = MoneyDay()
    overdue_amount = Money(minimum=1)
    days_overdue = WholeNumber(validate=validate.Range(min=1, max=10000))
    amount = Money(minimum=1)


class GuaranteeQuerySchema(Schema):
    """Filters of the case list."""

    state = enum_field(GuaranteeState)
    bank_id = WholeNumber()
    agency_id = WholeNumber()
    enterprise_id = WholeNumber()


class NamedSchema(Schema):
    """A related record by id and name."""

    id = WholeNumber()
    name = fields.String()


class GuaranteeCaseSchema(Schema):
    """A guarantee case as shown to its parties."""

    id = WholeNumber()
    enterprise = fields.Nested(NamedSchema)
    bank = fields.Nested(NamedSchema)
    agency = fields.Nested(NamedSchema)
    principal = Money()
    term_months = WholeNumber()
    loan_rate = DecimalString(as_string=True)
    fee_rate = DecimalString(as_string=True)
    fee = Money(metadata={"description": "principal × fee_rate × term_months / 12, half up"})
    purpose = fields.String()
    state = enum_field(GuaranteeState)
    contract_no = fields.String(allow_none=True)
    counter_guarantees = fields.List(fields.String())
    loan_no = fields.String(allow_none=True)
    overdue_amount = Money(allow_none=True)
    days_overdue = WholeNumber(allow_none=True)
    allowed_actions = fields.List(fields.String(), metadata={"description": "for the caller, now"})
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
