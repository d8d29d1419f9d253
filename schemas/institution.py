"""Schemas of institutions and their mandates."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from schemas.fields import Flag, Money, Text, WholeNumber, codes, enum_field
from torchfin.models.enums import InstitutionKind, Instrument, Stage


class InstitutionSchema(Schema):
    """A financial institution."""

    id = WholeNumber(dump_only=True)
    name = Text(required=True, max_length=200)
    kind = enum_field(InstitutionKind, required=True)
    province = Text(max_length=20, allow_none=True, load_default=None)
    description = Text(max_length=5000, min_length=0, load_default="")
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class MandateSchema(Schema):
    """What one fund, loan product or desk will finance."""

    id = WholeNumber(dump_only=True)
    institution_id = WholeNumber(
        load_default=None, metadata={"description": "defaults to the caller's own institution"}
    )
    name = Text(required=True, max_length=200)
    description = Text(max_length=5000, min_length=0, load_default="")
    industries = codes(load_default=list)
    stages = fields.List(enum_field(Stage), load_default=list, validate=validate.Length(max=6))
    instruments = fields.List(
        enum_field(Instrument), required=True, validate=validate.Length(min=1, max=6)
    )
    ticket_min = Money(required=True, minimum=1)
    ticket_max = Money(required=True, minimum=1)
    zones = codes(load_default=list)
    provinces = codes(load_default=list)
    excluded_industries = codes(load_default=list)
    active = Flag(load_default=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)

    @validates_schema
    def _checks(self, data: dict, partial=None, **kwargs) -> None:
        errors = {}
        low, high = data.get("ticket_min"), data.get("ticket_max")
        if low is not None and high is not None and low > high:
            errors["ticket_max"] = ["Must not be below ticket_min."]
        overlap = set(data.get("industries", [])) & set(data.get("excluded_industries", []))
        if overlap:
            errors["excluded_industries"] = [
                f"Also listed as wanted: {', '.join(sorted(overlap))}."
            ]
        if errors:
            raise ValidationError(errors)


institution_schema = InstitutionSchema()
mandate_schema = MandateSchema()
