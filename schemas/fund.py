"""Schemas of guidance funds: sub-funds with LPs and rules, calls, placements, exits, figures."""

from datetime import date
from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from schemas.enterprise_reference import EnterpriseReferenceSchema
from schemas.fields import (
    DateWithin,
    DecimalString,
    Money,
    MoneyDay,
    Text,
    WholeNumber,
    enum_field,
)
from schemas.readiness import SaidSchema
from torchfin.i18n import request_language
from torchfin.models.enums import FundRuleStatus, Instrument, Stage

FIRST_VINTAGE = 1985  # the oldest venture funds in China; no sub-fund's period ends earlier


def share_field(**kwargs) -> fields.Decimal:
    """A share between 0 and 1 with up to four decimals, as a string on the wire ("0.2500")."""
    return DecimalString(
        places=4, as_string=True, validate=validate.Range(Decimal(0), Decimal(1)), **kwargs
    )


class LimitedPartnerSchema(Schema):
    """An LP other than the guidance fund."""

    id = WholeNumber(dump_only=True)
    name = Text(required=True, max_length=200)
    commitment = Money(required=True, minimum=Decimal("0.01"))


class SubFundSchema(Schema):
    """A sub-fund (参股子基金) with its LPs and rules."""

    id = WholeNumber(dump_only=True)
    guidance_fund_id = WholeNumber(
        load_default=None, metadata={"description": "defaults to the caller's guidance fund"}
    )
    name = Text(required=True, max_length=200)
    manager = Text(required=True, max_length=200)
    vintage = WholeNumber(required=True, validate=validate.Range(FIRST_VINTAGE, 2100))
    zone = Text(required=True, max_length=32, load_only=True, metadata={"description": "zone code"})
    zone_code = fields.Function(lambda fund: fund.zone.code, dump_only=True)
    guidance_commitment = Money(required=True, minimum=Decimal("0.01"))
    investment_period_end = DateWithin(
        earliest=date(FIRST_VINTAGE, 1, 1), years_ahead=30, required=True
    )
    max_guidance_share = share_field(required=True, metadata={"example": "0.2500"})
    reinvestment_multiple = DecimalString(
        places=2,
        as_string=True,
        required=True,
        validate=validate.Range(Decimal(0), Decimal(100)),
        metadata={"example": "1.50"},
    )
    min_early_stage_share = share_field(required=True, metadata={"example": "0.3000"})
    idle_alert_months = WholeNumber(load_default=12, validate=validate.Range(1, 120))
    limited_partners = fields.List(
        fields.Nested(LimitedPartnerSchema), required=True, validate=validate.Length(1, 200)
    )
    size = Money(dump_only=True)

    @validates_schema
    def _checks(self, data: dict, **kwargs) -> None:
        end, vintage = data.get("investment_period_end"), data.get("vintage")
        if end and vintage and end.year < vintage:
            raise ValidationError({"investment_period_end": ["Cannot end before the vintage."]})


class CapitalCallSchema(Schema):
    """Money called from the LPs."""

    id = WholeNumber(dump_only=True)
    called_on = MoneyDay(required=True)
    amount = Money(required=True, minimum=Decimal("0.01"))


class PlacementSchema(EnterpriseReferenceSchema):
    """An investment of a sub-fund into an enterprise."""

    id = WholeNumber(dump_only=True)
    amount = Money(required=True, minimum=Decimal("0.01"))
    placed_on = MoneyDay(required=True)
    round = enum_field(Stage, required=True)
    instrument = enum_field(Instrument, required=True)


class ExitSchema(Schema):
    """A full or partial exit."""

    id = WholeNumber(dump_only=True)
    exited_on = MoneyDay(required=True)
    proceeds = Money(required=True)


class FiguresQuerySchema(Schema):
    """The date figures are computed as of (today by default)."""

    as_of = MoneyDay(load_default=None)


class FundRuleSchema(Schema):
    """A sub-fund rule's status and evidence."""

    code = fields.String()
    status = enum_field(FundRuleStatus)
    evidence = fields.Nested(SaidSchema)


def _ratio(**kwargs) -> fields.Decimal:
    # Ratios such as leverage (5.0000) or shares (0.2500), exact strings; null without a base.
    return DecimalString(places=4, as_string=True, allow_none=True, **kwargs)


class FiguresSchema(Schema):
    """The figures a sub-fund and a guidance fund's totals have in common."""

    as_of = fields.Date()
    size = Money()
    guidance_commitment = Money()
    leverage = _ratio()
    called = Money()
    deployed = Money()
    deployed_share = _ratio()
    idle = Money()
    reinvested = Money()
    proceeds = Money()


class SubFundFiguresSchema(FiguresSchema):
    """The figures of one sub-fund."""

    sub_fund_id = WholeNumber()
    name = fields.String()
    guidance_share = _ratio()
    idle_since = fields.Date(allow_none=True)
    idle_months = WholeNumber()
    reinvestment_achieved = _ratio()
    reinvestment_required = Money(
        metadata={"description": "the required multiple x the guidance commitment"}
    )
    reinvestment_shortfall = Money(
        metadata={"description": "what in-zone placements still lack; 0.00 once met"}
    )
    reinvestment_share_achieved = _ratio(
        metadata={
            "description": "in-zone placements / the amount required, rounded down (0.8000 = "
            "80 %; above 1 when exceeded); null when nothing is required"
        }
    )
    early_stage = Money()
    early_stage_share = _ratio()
    rules = fields.List(fields.Nested(FundRuleSchema))


class GuidanceFundFiguresSchema(FiguresSchema):
    """A guidance fund's totals."""

    sub_funds = WholeNumber()
    breached_rules = WholeNumber()


class FundAlertSchema(Schema):
    """An alert on a sub-fund: its condition, the figures it was found on and its sentence."""

    id = WholeNumber()
    sub_fund_id = WholeNumber()
    code = fields.String(
        metadata={
            "description": "the condition: a rule's code (guidance_stake, not_largest_lp, "
            "reinvestment, early_stage_share) or idle_money"
        }
    )
    params = fields.Dict(
        keys=fields.String(),
        metadata={
            "description": "the sub-fund's name and the figures found: amounts and ratios as "
            "decimal strings (null for a ratio without a base), dates as YYYY-MM-DD, months as "
            "whole numbers; empty for an alert raised before they were kept"
        },
    )
    message = fields.Function(
        lambda alert: alert.message.in_language(request_language()),
        metadata={
            "type": "string",
            "description": "the alert in the request's language: Chinese, English with ?lang=en",
        },
    )
    raised_at = fields.DateTime()
    resolved_at = fields.DateTime(allow_none=True)


class QuarterSchema(Schema):
    """A calendar quarter."""

    year = WholeNumber(required=True, validate=validate.Range(FIRST_VINTAGE, 2100))
    quarter = WholeNumber(required=True, validate=validate.Range(1, 4))
