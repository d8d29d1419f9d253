"""Schemas of risk-compensation pools, their loans, claims, statements and dashboards."""

from datetime import date
from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from schemas.enterprise_reference import EnterpriseReferenceSchema
from schemas.fields import (
    MONEY_EPOCH,
    DateWithin,
    DecimalString,
    Flag,
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
    covers_interest = Flag(
        load_default=False,
        metadata={
            "description": "Whether a claim's net loss counts the accrued interest, or the "
            "principal lost only (the default, as zone pools usually share)."
        },
    )


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
    """A bank's claim on a defaulted loan: the parts of the loss, from which the platform works
    out the net loss (outstanding principal + interest where the pool covers it - realised)."""

    outstanding_principal = Money(required=True, minimum=1)
    accrued_interest = Money(
        required=True,
        metadata={"description": "Interest accrued and unpaid; counted where the pool covers it."},
    )
    collateral_realised = Money(
        required=True,
        metadata={
            "description": "What collateral sold and guarantees called brought in; less than "
            "the outstanding amount the pool covers."
        },
    )
    days_overdue = WholeNumber(required=True, validate=validate.Range(min=1, max=10000))
    filed_on = MoneyDay(load_default=date.today)


class ClaimSchema(Schema):
    """A claim with its payable amount and the working behind it."""

    id = WholeNumber()
    pool_id = WholeNumber()
    loan_id = WholeNumber()
    net_loss = Money(
        metadata={
            "description": "Outstanding principal + interest counted (where the pool covers "
            "it) - realised; as typed by the bank on claims filed before the parts were kept."
        }
    )
    # Null on claims filed before the parts were kept: their banks reported the net loss only.
    outstanding_principal = Money(allow_none=True)
    accrued_interest = Money(allow_none=True)
    collateral_realised = Money(allow_none=True)
    interest_covered = fields.Boolean(attribute="pool.covers_interest")
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


class OpeningBalanceSchema(Schema):
    """A pool's opening balance: what it held, by the sponsor's books, before its first booking
    on the platform; recorded once."""

    pool_id = WholeNumber(dump_only=True)
    dated_on = DateWithin(
        earliest=MONEY_EPOCH,
        years_ahead=0,
        required=True,
        metadata={"description": "The day it counts from; on or before the pool's first booking"},
    )
    amount = Money(required=True, minimum=Decimal("0.01"))


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
    brought_forward = Money(
        metadata={
            "description": "The pool's recorded opening balance, when the period holds the "
            "moment it counts from: the end of the day before it is dated"
        }
    )
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
    opening_balance = fields.Nested(OpeningBalanceSchema, allow_none=True)
    reserved = Money()
    available = Money()
    exposure = Money()
    active_loans = WholeNumber()
    bad_loan_ratio = DecimalString(as_string=True)
    claims = fields.List(fields.Nested(ClaimTotalSchema))
    history = fields.List(fields.Nested(HistoryPointSchema))
