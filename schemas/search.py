"""Schemas of search requests and results."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from schemas.fields import DecimalString, Money, Text, WholeNumber, enum_field
from search.queries import SORTS, decode_cursor
from torchfin.models.enums import Instrument, Qualification, Stage

LIST_ARGS = ("zone", "province", "industry", "subindustry", "stage", "instrument", "qualification")


def _codes() -> fields.List:
    return fields.List(Text(max_length=40), load_default=list, validate=validate.Length(max=50))


def _a_cursor(value: str) -> None:
    try:
        decode_cursor(value)
    except ValueError as exc:
        raise ValidationError("Not a cursor returned by a previous search.") from exc


class SearchArgsSchema(Schema):
    """Query-string arguments of a search (list filters may repeat: ?zone=a&zone=b)."""

    q = Text(max_length=200, min_length=0, load_default="")
    kind = fields.String(load_default="project", validate=validate.OneOf(["project", "enterprise"]))
    zone = _codes()
    province = _codes()
    industry = _codes()
    subindustry = _codes()
    stage = fields.List(enum_field(Stage), load_default=list)
    instrument = fields.List(enum_field(Instrument), load_default=list)
    qualification = fields.List(enum_field(Qualification), load_default=list)
    amount_min = Money(load_default=None, allow_none=True)
    amount_max = Money(load_default=None, allow_none=True)
    founded_from = WholeNumber(load_default=None, validate=validate.Range(1900, 2100))
    founded_to = WholeNumber(load_default=None, validate=validate.Range(1900, 2100))
    rd_intensity_min = DecimalString(
        load_default=None, places=4, validate=validate.Range(0, 1), as_string=True
    )
    patents_min = WholeNumber(load_default=None, validate=validate.Range(0, 100_000))
    sort = fields.String(load_default="relevance", validate=validate.OneOf(list(SORTS)))
    page = WholeNumber(load_default=1, validate=validate.Range(min=1, max=500))
    page_size = WholeNumber(load_default=20, validate=validate.Range(min=1, max=100))
    literal = fields.List(
        Text(max_length=40),
        load_default=list,
        validate=validate.Length(max=10),
        metadata={
            "description": "terms of q to search as words, not as the place, round or "
            "instrument they name (a `text` of `understood`: undoes that reading)"
        },
    )
    cursor = fields.String(
        load_default=None,
        validate=[validate.Length(max=500), _a_cursor],
        metadata={
            "description": "next_cursor of the previous page: deep pagination (search_after)"
        },
    )

    @validates_schema
    def _consistent(self, data: dict, **kwargs) -> None:
        errors = {}
        low, high = data.get("amount_min"), data.get("amount_max")
        if low is not None and high is not None and low > high:
            errors["amount_max"] = ["Must not be below amount_min."]
        start, end = data.get("founded_from"), data.get("founded_to")
        if start is not None and end is not None and start > end:
            errors["founded_to"] = ["Must not be before founded_from."]
        if errors:
            raise ValidationError(errors)


class SearchHitSchema(Schema):
    """One result: the record and the matched words highlighted."""

    id = WholeNumber()
    kind = fields.String()
    title = fields.String()
    enterprise_id = WholeNumber()
    enterprise_name = fields.String()
    zone = fields.String()
    zone_code = fields.String()
    amount_sought = Money(allow_none=True)
    stage = fields.String(allow_none=True)
    instrument = fields.String(allow_none=True)
    deadline = fields.Date(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    score = fields.Float(allow_none=True)
    highlights = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class FacetBucketSchema(Schema):
    """A facet value and how many results carry it."""

    value = fields.String()
    count = WholeNumber()


class UnderstoodTermSchema(Schema):
    """A term recognised in q: it boosts the records meeting it, and stands for a filter."""

    facet = fields.String(
        validate=validate.OneOf(["zone", "province", "stage", "instrument"]),
        metadata={"description": "the filter the term stands for"},
    )
    text = fields.String(
        metadata={
            "description": "the term as found in q (simplified characters); send it as "
            "`literal` to search it as words instead"
        }
    )
    values = fields.List(
        fields.String(), metadata={"description": "the filter's values the term stands for"}
    )
    q_without = fields.String(
        metadata={"description": "q without the term: with the filter set, the same search"}
    )


class SearchResultSchema(Schema):
    """A page of search results with facet counts."""

    total = WholeNumber()
    total_exact = fields.Boolean(
        metadata={
            "description": "false when more records match than are counted exactly "
            "(10,000): total is then that bound, a lower limit"
        }
    )
    page = WholeNumber()
    page_size = WholeNumber()
    next_cursor = fields.String(allow_none=True)
    hits = fields.List(fields.Nested(SearchHitSchema))
    facets = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(FacetBucketSchema)))
    understood = fields.List(
        fields.Nested(UnderstoodTermSchema),
        metadata={
            "description": "places, rounds and instruments recognised in q, in its order: "
            "records meeting them rank first; each can be set as a filter or taken literally"
        },
    )
    text_query = fields.String(
        metadata={"description": "the words of q searched as text: q without its terms"}
    )
    emptied_by = fields.List(
        fields.String(),
        metadata={
            "description": "when nothing matched: filters whose removal alone brings results"
        },
    )


class SuggestArgsSchema(Schema):
    """Type-ahead arguments."""

    q = Text(required=True, max_length=50)
    size = WholeNumber(load_default=8, validate=validate.Range(1, 20))


class SuggestionSchema(Schema):
    """One type-ahead suggestion: an enterprise or a published project."""

    kind = fields.String(
        validate=validate.OneOf(["enterprise", "project"]),
        metadata={"description": "what `id` names: an enterprise or a project"},
    )
    id = WholeNumber()
    name = fields.String(metadata={"description": "the enterprise's name or the project's title"})
