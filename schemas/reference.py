"""Schemas of reference data: zones and industries."""

from marshmallow import Schema, fields, validate

from schemas.fields import Flag, Text, WholeNumber


class ZoneSchema(Schema):
    """A national high-tech zone."""

    id = WholeNumber(dump_only=True)
    code = Text(required=True, max_length=32, validate=validate.Regexp(r"^[a-z0-9_-]+$"))
    name_zh = Text(required=True, max_length=100)
    name_en = Text(required=True, max_length=200)
    province = Text(required=True, max_length=20)
    city = Text(required=True, max_length=40)
    year_approved = WholeNumber(required=True, validate=validate.Range(min=1985, max=2100))
    is_demonstration_zone = Flag(load_default=False)
    otc_pilot_since = WholeNumber(
        allow_none=True, load_default=None, validate=validate.Range(min=2000, max=2100)
    )


class IndustrySchema(Schema):
    """An industry or sub-field of the taxonomy."""

    id = WholeNumber(dump_only=True)
    code = Text(required=True, max_length=32, validate=validate.Regexp(r"^[a-z0-9_.-]+$"))
    name_zh = Text(required=True, max_length=50)
    name_en = Text(required=True, max_length=120)
    parent_code = Text(max_length=32, allow_none=True, load_default=None)
    is_strategic_emerging = Flag(load_default=False)


class ZoneBriefSchema(Schema):
    """A zone as shown inside other records."""

    id = WholeNumber()
    code = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    province = fields.String()


class IndustryBriefSchema(Schema):
    """An industry as shown inside other records."""

    id = WholeNumber()
    code = fields.String()
    name_zh = fields.String()
    name_en = fields.String()


zone_schema = ZoneSchema()
industry_schema = IndustrySchema()
