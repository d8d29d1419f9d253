"""Schemas of risk-compensation pools, their loans, claims, statements and dashboards."""

from datetime import date

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from schemas.enterprise_reference import EnterpriseReferenceSchema
from schemas.fields import (
    MONEY_EPOCH,
    DateWithin,
    DecimalString,
    Money,
    MoneyDay,
    Text,
    WholeNumber,
    enum_field,
)
from schemas.rates import rate
from torchfin.models.enums import ClaimState, PoolLoanState


class PoolSchema(Schema):
    """A pool's terms (loaded when setting one up, dumped with its id)."""

    id = WholeNumber(dump_only=True)
    name = Text(required=True, max_length=200)
    sponsor = Text(required=True, max_length=200)
    zone_id = WholeNumber(required=True)
    coverage = rate("0.8000", places=4, required=True)
    per_loan_cap = Money(required=True, minimum=1)
    yearly_cap = Money(required=True, minimum=1)
    days_overdue_threshold = WholeNumber(required=True, validate=validate.Range(min=1, max=720))
    bad_loan_ratio_threshold = rate("0.5000", places=4, required=True)


class DepositSchema(Schema):
    """Money the sponsor pays into a pool."""

    amount = Money(required=True, minimum=1)


class PoolLoanSchema(EnterpriseReferenceSchema):
    """A loan registered into a pool."""

    id = WholeNumber(dump_only=True)
    pool_id = WholeNumber(dump_only=True)
    bank_id = WholeNumber(dump_only=True)
    loan_no = Text(required=True, max_length=60)
    principal = Money(required=True, minimum=1)
    registered_on = MoneyDay(load_default=date.today)
    maturity_on = DateWithin(earliest=MONEY_EPOCH, years_ahead=30, required=True)
    state = enum_field(PoolLoanState, dump_only=True)
    repaid_on = fields.Date(dump_only=True, allow_none=True)
    defaulted_on = fields.Date(dump_only=True, allow_none=True)


class RepaySchema(Schema):
    """The day a registered loan was repaid."""

    repaid_on = MoneyDay(load_default=date.today)


class ClaimFileSchema(Schema):
    """A bank's claim on a defaulted loan."""

    net_loss = Money(required=True, minimum=1)
    days_overdue = WholeNumber(required=True, validate=validate.Range(min=1, max=10000))
    filed_on = MoneyDay(load_default=date.today)


class ClaimSchema(Schema):
    """A claim with its payable amount and the working behind it."""

    id = WholeNumber()
    pool_id = WholeNumber()
    loan_id = WholeNumber()
    net_loss = Money()
    days_overdue = WholeNumber()
    filed_on = fields.Date()
    payable = Money()
    working = fields.Dict()
    state = enum_field(ClaimState)
    reason = fields.String()
    allowed_actions = fields.List(fields.String())


class ClaimActionSchema(Schema):
    """What a claim action may carry (a rejection needs a reason)."""

    reason = Text(max_length=2000)


class RecoverySchema(Schema):
    """What the bank recovered from the borrower after the pool paid."""

    recovered = Money(required=True, minimum=1)


class PeriodSchema(Schema):
    """A period of whole days, within the years the pools' records span."""

    start = MoneyDay(required=True)
    end = MoneyDay(required=True)

    @validates_schema
    def _order(self, data: dict, **kwargs) -> None:
        if data["end"] < data["start"]:
            raise ValidationError({"end": ["Must not be before start."]})


class CountAmountSchema(Schema):
    """How many, and how much."""

    count = WholeNumber()
    principal = Money()
    net_loss = Money()


class StatementSchema(Schema):
    """A pool statement for a period."""

    pool_id = WholeNumber()
    start = fields.Date()
    end = fields.Date()
    opening_balance = Money()
    deposits = Money()
    registrations = fields.Nested(CountAmountSchema)
    claims = fields.Nested(CountAmountSchema)
    payouts = Money()
    recoveries = Money()
    closing_balance = Money()
    reconciles = fields.Boolean()
    bad_loan_ratio = DecimalString(as_string=True)


class ClaimTotalSchema(Schema):
    """Claims of one state."""

    state = enum_field(ClaimState)
    count = WholeNumber()
    payable = Money()


class HistoryPointSchema(Schema):
    """A month-end point of the pool's history."""

    month = fields.String()
    bad_loan_ratio = DecimalString(as_string=True)
    balance = Money()


class DashboardSchema(Schema):
    """Balance, exposure, claims and history of a pool."""

    pool = fields.Nested(PoolSchema)
    balance = Money()
    reserved = Money()
    available = Money()
    exposure = Money()
    active_loans = WholeNumber()
    bad_loan_ratio = DecimalString(as_string=True)
    claims = fields.List(fields.Nested(ClaimTotalSchema))
    history = fields.List(fields.Nested(HistoryPointSchema))
