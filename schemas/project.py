"""Schemas of financing projects."""

from datetime import date

from marshmallow import Schema, ValidationError, fields, validates_schema

from schemas.fields import MONEY_EPOCH, DateWithin, Money, Text, WholeNumber, codes, enum_field
from schemas.reference import IndustryBriefSchema
from torchfin.models.enums import Instrument, ProjectStatus, Stage


class ProjectEnterpriseSchema(Schema):
    """The enterprise behind a project, as shown with it."""

    id = WholeNumber()
    name = fields.String()


class ProjectSchema(Schema):
    """A financing need (融资需求)."""

    id = WholeNumber(dump_only=True)
    enterprise_id = WholeNumber(
        load_default=None, metadata={"description": "defaults to the caller's own enterprise"}
    )
    enterprise = fields.Nested(ProjectEnterpriseSchema, dump_only=True)
    title = Text(required=True, max_length=200)
    summary = Text(required=True, max_length=5000)
    amount_sought = Money(required=True, minimum=1)
    instrument = enum_field(Instrument, required=True)
    stage = enum_field(Stage, required=True)
    use_of_funds = Text(max_length=5000, min_length=0, load_default="")
    valuation = Money(allow_none=True, load_default=None, minimum=1)
    deadline = DateWithin(earliest=MONEY_EPOCH, years_ahead=5, allow_none=True, load_default=None)
    industries = codes(
        max_items=10,
        min_items=1,
        load_only=True,
        metadata={
            "description": "industry codes of the taxonomy (sub-fields or top-level); a new "
            "project without them takes its enterprise's"
        },
    )
    industry_info = fields.List(
        fields.Nested(IndustryBriefSchema),
        dump_only=True,
        attribute="industries",
        data_key="industries",
    )
    status = enum_field(ProjectStatus, dump_only=True)
    published_at = fields.DateTime(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)

    @validates_schema
    def _checks(self, data: dict, partial=None, **kwargs) -> None:
        errors = {}
        deadline = data.get("deadline")
        if deadline and deadline < date.today():
            errors["deadline"] = ["Cannot be in the past."]
        valuation, amount = data.get("valuation"), data.get("amount_sought")
        if valuation is not None and amount is not None and valuation < amount:
            errors["valuation"] = ["Cannot be below the amount sought."]
        if errors:
            raise ValidationError(errors)


class ProjectQuerySchema(Schema):
    """Filters of the project list."""

    enterprise_id = WholeNumber()
    status = enum_field(ProjectStatus)


project_schema = ProjectSchema()
