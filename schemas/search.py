"""Schemas of search requests and results."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from schemas.fields import Money, Text, enum_field
from torchfin.models.enums import Instrument, Stage


class SearchArgsSchema(Schema):
    """Query-string arguments of a search."""

    q = Text(max_length=200, min_length=0, load_default="")
    kind = fields.String(load_default="project", validate=validate.OneOf(["project", "enterprise"]))
    zone = fields.List(Text(max_length=40), load_default=list)
    province = fields.List(Text(max_length=20), load_default=list)
    industry = fields.List(Text(max_length=40), load_default=list)
    stage = fields.List(enum_field(Stage), load_default=list)
    instrument = fields.List(enum_field(Instrument), load_default=list)
    amount_min = Money(load_default=None, allow_none=True)
    amount_max = Money(load_default=None, allow_none=True)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=500))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))

    @validates_schema
    def _range(self, data: dict, **kwargs) -> None:
        low, high = data.get("amount_min"), data.get("amount_max")
        if low is not None and high is not None and low > high:
            raise ValidationError({"amount_max": ["Must not be below amount_min."]})


class SearchHitSchema(Schema):
    """One result: the record and the matched words highlighted."""

    id = fields.Integer()
    kind = fields.String()
    title = fields.String()
    enterprise_name = fields.String()
    zone = fields.String()
    zone_code = fields.String()
    amount_sought = Money(allow_none=True)
    stage = fields.String(allow_none=True)
    instrument = fields.String(allow_none=True)
    score = fields.Float(allow_none=True)
    highlights = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class FacetBucketSchema(Schema):
    """A facet value and how many results carry it."""

    value = fields.String()
    count = fields.Integer()


class SearchResultSchema(Schema):
    """A page of search results with facet counts."""

    total = fields.Integer()
    page = fields.Integer()
    page_size = fields.Integer()
    hits = fields.List(fields.Nested(SearchHitSchema))
    facets = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(FacetBucketSchema)))
