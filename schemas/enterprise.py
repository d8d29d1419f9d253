"""Schemas of enterprises, their qualifications and yearly financials."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from schemas.credit_code import find_problems
from schemas.fields import (
    FOUNDING_EPOCH,
    MARKET_EPOCH,
    MONEY_MAX,
    CreditCode,
    DateWithin,
    Money,
    Text,
    Whole,
    WholeNumber,
    codes,
    enum_field,
)
from schemas.reference import IndustryBriefSchema, ZoneBriefSchema
from torchfin.models.enums import LegalForm, Qualification


class QualificationSchema(Schema):
    """A qualification with its certificate."""

    kind = enum_field(Qualification, required=True)
    certificate_no = Text(max_length=64, allow_none=True, load_default=None)
    # Certificates (high-tech enterprise, 专精特新) date from 1991 and last three to five years.
    expires_on = DateWithin(
        earliest=MARKET_EPOCH, years_ahead=10, allow_none=True, load_default=None
    )


class FinancialSchema(Schema):
    """One fiscal year of financials (confidential)."""

    year = WholeNumber(required=True, validate=validate.Range(min=1980, max=2100))
    revenue = Money(required=True)
    net_profit = Money(required=True, minimum=-MONEY_MAX)
    rd_spend = Money(required=True)
    total_assets = Money(required=True)
    total_liabilities = Money(required=True)
    employees = WholeNumber(required=True, validate=validate.Range(min=0, max=10_000_000))
    college_staff = WholeNumber(required=True, validate=validate.Range(min=0, max=10_000_000))

    @validates_schema
    def _consistent(self, data: dict, **kwargs) -> None:
        errors = {}
        if data["rd_spend"] > data["revenue"] and data["revenue"] > 0:
            errors["rd_spend"] = ["R&D spend cannot exceed revenue."]
        if data["college_staff"] > data["employees"]:
            errors["college_staff"] = ["Cannot exceed the number of employees."]
        if errors:
            raise ValidationError(errors)


class EnterpriseSchema(Schema):
    """An enterprise's public profile (financials are served apart, to those allowed)."""

    id = WholeNumber(dump_only=True)
    credit_code = CreditCode(required=True)
    credit_code_override_reason = Text(
        max_length=500,
        allow_none=True,
        load_default=None,
        metadata={"description": "Admins only: register a code failing its checksum, and why."},
    )
    name = Text(required=True, max_length=200)
    legal_form = enum_field(LegalForm, required=True)
    founded_on = DateWithin(earliest=FOUNDING_EPOCH, years_ahead=0, required=True)
    zone = Text(required=True, max_length=32, load_only=True, metadata={"description": "zone code"})
    industries = codes(max_items=10, min_items=1, required=True, load_only=True)
    description = Text(max_length=5000, min_length=0, load_default="")
    # Kept from the zones' registry files (the import); "" when never imported.
    registered_address = fields.String(dump_only=True)
    invention_patents_granted = WholeNumber(load_default=0, validate=validate.Range(0, 100_000))
    invention_patents_pending = WholeNumber(load_default=0, validate=validate.Range(0, 100_000))
    employees = WholeNumber(allow_none=True, load_default=None, validate=validate.Range(0, 10**7))
    qualifications = fields.List(Whole(QualificationSchema), load_default=list)
    financials = fields.List(Whole(FinancialSchema), load_only=True, load_default=list)
    zone_info = fields.Nested(ZoneBriefSchema, dump_only=True, attribute="zone", data_key="zone")
    industry_info = fields.List(
        fields.Nested(IndustryBriefSchema),
        dump_only=True,
        attribute="industries",
        data_key="industries",
    )
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)

    @validates_schema
    def _checks(self, data: dict, partial=None, **kwargs) -> None:
        errors: dict[str, list[str]] = {}
        code = data.get("credit_code")
        if code:
            failed = [p for p in find_problems(code) if p.check != "format"]
            if failed and not data.get("credit_code_override_reason"):
                errors["credit_code"] = [f"{p.check}: {p.message}" for p in failed]
        kinds = [q["kind"] for q in data.get("qualifications", [])]
        if len(set(kinds)) != len(kinds):
            errors["qualifications"] = ["Each qualification may appear once."]
        years = [f["year"] for f in data.get("financials", [])]
        if len(set(years)) != len(years):
            errors["financials"] = ["Each year may appear once."]
        if errors:
            raise ValidationError(errors)


class EnterpriseFinancialsSchema(Schema):
    """The confidential part of an enterprise record."""

    enterprise_id = WholeNumber(attribute="id")
    financials = fields.List(fields.Nested(FinancialSchema))


enterprise_schema = EnterpriseSchema()
