"""Schemas of OTC-readiness: the recorded facts, checks, zone batches and rule sets."""

from datetime import date

from marshmallow import Schema, ValidationError, fields, validates_schema

from schemas.fields import (
    MARKET_EPOCH,
    DateWithin,
    Flag,
    MoneyDay,
    Text,
    WholeNumber,
    enum_field,
)
from torchfin.models.enums import BatchStatus, GovernanceBody, ReadinessOutcome, RuleStatus


class ReadinessProfileSchema(Schema):
    """What an enterprise has recorded towards listing; every fact may stay unknown (null)."""

    enterprise_id = WholeNumber(dump_only=True)
    converted_on = DateWithin(
        earliest=MARKET_EPOCH,
        years_ahead=0,
        allow_none=True,
        metadata={"description": "LLC -> JSC conversion"},
    )
    converted_at_book_value = Flag(allow_none=True)
    main_business = Text(max_length=2000, allow_none=True)
    shares_lawful = Flag(allow_none=True)
    shares_evidence = Text(max_length=500, allow_none=True)
    sponsor_broker_id = WholeNumber(allow_none=True)
    sponsor_engaged_on = DateWithin(earliest=MARKET_EPOCH, years_ahead=0, allow_none=True)
    confirmation_letter_no = Text(max_length=100, allow_none=True)
    confirmation_letter_on = DateWithin(earliest=MARKET_EPOCH, years_ahead=0, allow_none=True)
    updated_at = fields.DateTime(dump_only=True)

    @validates_schema
    def _checks(self, data: dict, **kwargs) -> None:
        if (
            data.get("converted_at_book_value") is not None
            and "converted_on" in data
            and (data["converted_on"] is None)
        ):
            raise ValidationError(
                {"converted_on": ["Required when the conversion basis is given."]}
            )


class GovernanceRecordSchema(Schema):
    """A meeting of a governance body."""

    id = WholeNumber(dump_only=True)
    body = enum_field(GovernanceBody, required=True)
    held_on = DateWithin(earliest=MARKET_EPOCH, years_ahead=0, required=True)
    minutes_ref = Text(required=True, max_length=200)


class CheckRequestSchema(Schema):
    """Which rule set to check against, as of which date (today by default)."""

    rule_set = Text(required=True, max_length=20, metadata={"example": "neeq-2013"})
    as_of = MoneyDay(load_default=date.today)


class BatchRequestSchema(CheckRequestSchema):
    """A batch run over every enterprise of a zone."""

    zone = Text(required=True, max_length=32, metadata={"description": "zone code"})


class SaidSchema(Schema):
    """A sentence in Chinese and English."""

    zh = fields.String()
    en = fields.String()


class RuleResultSchema(Schema):
    """One rule's result with its evidence and next step."""

    code = fields.String()
    # Stored as JSON, so the status comes back as its plain string value.
    status = fields.String(metadata={"enum": [s.value for s in RuleStatus]})
    evidence = fields.Nested(SaidSchema)
    next_step = fields.Nested(SaidSchema)


class ReadinessCheckSchema(Schema):
    """A stored check of one enterprise."""

    id = WholeNumber()
    enterprise_id = WholeNumber()
    batch_id = WholeNumber(allow_none=True)
    rule_set = fields.String()
    as_of = fields.Date()
    outcome = enum_field(ReadinessOutcome)
    results = fields.List(fields.Nested(RuleResultSchema))
    checked_at = fields.DateTime()


class BatchSchema(Schema):
    """A zone batch run and its progress."""

    id = WholeNumber()
    zone = fields.Function(lambda batch: batch.zone.code)
    rule_set = fields.String()
    as_of = fields.Date()
    status = enum_field(BatchStatus)
    total = WholeNumber()
    done = WholeNumber()
    error = fields.String(allow_none=True)
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)


class ReadinessRowSchema(Schema):
    """An enterprise in a zone readiness table."""

    enterprise_id = WholeNumber()
    enterprise_name = fields.String()
    outcome = enum_field(ReadinessOutcome)
    statuses = fields.Dict(keys=fields.String(), values=fields.String())


class RuleSchema(Schema):
    """A rule of a rule set."""

    code = fields.String()
    title = fields.Nested(SaidSchema)


class RuleSetSchema(Schema):
    """A version of the listing conditions."""

    code = fields.String()
    title = fields.Nested(SaidSchema)
    source = fields.String()
    effective_from = fields.Date()
    rules = fields.List(fields.Nested(RuleSchema))
