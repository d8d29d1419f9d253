"""Query builders and runners for searching projects, enterprises and mandates.

Facet counts respect the other active filters: the text query narrows everything, the filters
go to `post_filter`, and each facet's aggregation applies every filter except its own.
"""

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import Decimal

from elasticsearch import Elasticsearch

from search.indices import alias_name
from search.text_query import TEXT_FIELDS, highlight_query, text_query

# Facets per kind: facet name -> the keyword field it counts (and filters) on.
FACETS = {
    "project": {
        "province": "province",
        "zone": "zone_code",
        "industry": "industry_parent_codes",
        "subindustry": "industry_codes",
        "stage": "stage",
        "instrument": "instrument",
        "qualification": "qualifications",
    },
    "enterprise": {
        "province": "province",
        "zone": "zone_code",
        "industry": "industry_parent_codes",
        "subindustry": "industry_codes",
        "qualification": "qualifications",
    },
    "mandate": {"kind": "institution_kind"},
}

SORTS = {
    "relevance": ["_score"],
    "newest": [{"published_at": {"order": "desc", "missing": "_last"}}],
    "amount_desc": [{"amount_sought": "desc"}],
    "amount_asc": [{"amount_sought": "asc"}],
    "deadline": [{"deadline": {"order": "asc", "missing": "_last"}}],
}


@dataclass
class SearchFilters:
    """Filters a searcher can set; empty lists and None mean no restriction.

    List filters are keyed by the facet they narrow (see FACETS); the rest are ranges.
    """

    zone: list[str] = field(default_factory=list)
    province: list[str] = field(default_factory=list)
    industry: list[str] = field(default_factory=list)
    subindustry: list[str] = field(default_factory=list)
    stage: list[str] = field(default_factory=list)
    instrument: list[str] = field(default_factory=list)
    qualification: list[str] = field(default_factory=list)
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    founded_from: int | None = None
    founded_to: int | None = None
    rd_intensity_min: Decimal | None = None
    patents_min: int | None = None
    published_after: datetime | None = None

    def active(self) -> list[str]:
        """Names of the filters that are set."""
        return [f.name for f in fields(self) if getattr(self, f.name) not in (None, [])]

    def without(self, name: str) -> "SearchFilters":
        """A copy with filter `name` cleared."""
        copy = SearchFilters(**{f.name: getattr(self, f.name) for f in fields(self)})
        setattr(copy, name, [] if isinstance(getattr(self, name), list) else None)
        return copy


# The stored fields a result row shows, per kind: rows come from the index, not from SQL.
ROW_FIELDS = {
    "project": [
        "doc_version",
        "title",
        "enterprise_id",
        "enterprise_name",
        "zone_name",
        "zone_code",
        "amount_sought",
        "stage",
        "instrument",
        "deadline",
        "published_at",
    ],
    "enterprise": ["doc_version", "enterprise_name", "zone_name", "zone_code"],
    "mandate": ["institution_name", "name"],
}


@dataclass
class Hit:
    """One result: the record id, its score, highlighted fragments per field, and the stored
    fields its row shows (`ROW_FIELDS`)."""

    id: int
    score: float | None
    highlights: dict[str, list[str]]
    row: dict = field(default_factory=dict)


@dataclass
class SearchPage:
    """A page of results with the total, the facet counts and a cursor to the next page.

    `total` is exact up to the search's bound; beyond it `total_exact` is False and `total` is
    the bound (counting every match of a broad query over a million records costs more than
    the page)."""

    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    next_cursor: str | None = None
    total_exact: bool = True


# Matches counted exactly; a result page says "10,000+" beyond.
TOTAL_BOUND = 10_000


def _range(name: str, low, high) -> dict | None:
    bounds = {}
    if low is not None:
        bounds["gte"] = float(low) if isinstance(low, Decimal) else low
    if high is not None:
        bounds["lte"] = float(high) if isinstance(high, Decimal) else high
    return {"range": {name: bounds}} if bounds else None


def filter_clauses(kind: str, filters: SearchFilters, skip: str | None = None) -> list[dict]:
    """Term and range filters for the searcher's choices, leaving out facet `skip`."""
    clauses = []
    for facet, es_field in FACETS[kind].items():
        values = getattr(filters, facet, [])
        if values and facet != skip:
            clauses.append({"terms": {es_field: values}})
    ranges = [
        _range("founded_year", filters.founded_from, filters.founded_to),
        _range("rd_intensity", filters.rd_intensity_min, None),
        _range("invention_patents", filters.patents_min, None),
    ]
    if kind == "project":
        ranges += [
            _range("amount_sought", filters.amount_min, filters.amount_max),
            _range(
                "published_at",
                filters.published_after.isoformat() if filters.published_after else None,
                None,
            ),
        ]
    return clauses + [r for r in ranges if r]


def _base_query(kind: str, text: str, segmented: bool, literal: frozenset[str]) -> dict:
    must = [text_query(kind, text, literal, segmented)] if text.strip() else []
    base = [{"term": {"status": "published"}}] if kind == "project" else []
    return {"bool": {"must": must, "filter": base}}


def encode_cursor(sort_values: list) -> str:
    """An opaque cursor for search_after."""
    return base64.urlsafe_b64encode(json.dumps(sort_values).encode()).decode()


def decode_cursor(cursor: str) -> list:
    """The search_after values of a cursor; ValueError when it is not one of ours."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, TypeError) as exc:
        raise ValueError("not a valid cursor") from exc
    if not isinstance(values, list):
        raise ValueError("not a valid cursor")
    return values


def build_search(
    kind: str,
    text: str,
    filters: SearchFilters,
    *,
    size: int = 20,
    offset: int = 0,
    sort: str = "relevance",
    cursor: str | None = None,
    segmented: bool = True,
    facets: bool = True,
    literal: frozenset[str] = frozenset(),
    total_bound: int = TOTAL_BOUND,
) -> dict:
    """The request body of one search; terms of `text` in `literal` are taken as words, not as
    the place, round or instrument they name (search/understanding.py); matches are counted
    exactly up to `total_bound`."""
    order = SORTS["relevance" if sort == "relevance" and not text.strip() else sort]
    if order == ["_score"] and not text.strip():
        order = []
    body: dict = {
        "query": _base_query(kind, text, segmented, literal),
        "post_filter": {"bool": {"filter": filter_clauses(kind, filters)}},
        "size": size,
        "sort": [*order, {"id": "desc"}],
        "track_total_hits": total_bound,
        "track_scores": True,
        "source": ROW_FIELDS[kind],
        "highlight": {
            "pre_tags": ["<mark>"],
            "post_tags": ["</mark>"],
            "fields": {name: {"number_of_fragments": 2} for name in TEXT_FIELDS[kind]},
        },
    }
    marked = highlight_query(kind, text, literal) if segmented and text.strip() else None
    if marked:
        body["highlight"]["highlight_query"] = marked
    if cursor:
        body["search_after"] = decode_cursor(cursor)
    else:
        body["from_"] = offset
    if facets:
        body["aggs"] = {
            name: {
                "filter": {"bool": {"filter": filter_clauses(kind, filters, skip=name)}},
                "aggs": {"values": {"terms": {"field": es_field, "size": 80}}},
            }
            for name, es_field in FACETS[kind].items()
        }
    return body


def run_search(
    es: Elasticsearch,
    prefix: str,
    kind: str,
    text: str = "",
    filters: SearchFilters | None = None,
    **options,
) -> SearchPage:
    """Search `kind`; ids in rank order with highlights, facet counts and the next cursor."""
    size = options.get("size", 20)
    body = build_search(kind, text, filters or SearchFilters(), **options)
    # A shard whose copies are all out of reach (a node lost, its replica not yet promoted) fails
    # the search rather than leaving its documents out: a 503 the user can retry, never a
    # count that looks complete and is not.
    response = es.search(index=alias_name(prefix, kind), allow_partial_search_results=False, **body)
    raw_hits = response["hits"]["hits"]
    hits = [
        Hit(int(h["_id"]), h.get("_score"), _whole(h.get("highlight", {})), h.get("_source", {}))
        for h in raw_hits
    ]
    facets = {
        name: [(b["key"], b["doc_count"]) for b in agg["values"]["buckets"]]
        for name, agg in response.get("aggregations", {}).items()
    }
    next_cursor = encode_cursor(raw_hits[-1]["sort"]) if len(raw_hits) == size else None
    total = response["hits"]["total"]
    return SearchPage(total["value"], hits, facets, next_cursor, total["relation"] == "eq")


def _whole(highlights: dict[str, list[str]]) -> dict[str, list[str]]:
    # The per-character field marks each character of a word: one mark per word instead.
    return {
        name: [fragment.replace("</mark><mark>", "") for fragment in fragments]
        for name, fragments in highlights.items()
    }


def filters_that_empty(
    es: Elasticsearch,
    prefix: str,
    kind: str,
    text: str,
    filters: SearchFilters,
    literal: frozenset[str] = frozenset(),
) -> list[str]:
    """For an empty result: the active filters whose removal alone would bring results back."""
    active = filters.active()
    if not active:
        return []
    searches: list[dict] = []
    for name in active:
        searches.append({"index": alias_name(prefix, kind)})
        body = build_search(
            kind, text, filters.without(name), size=0, facets=False, literal=literal
        )
        body.pop("highlight")
        body.pop("from_", None)
        body.pop("source")
        body["_source"] = False
        searches.append(body)
    responses = es.msearch(searches=searches)["responses"]
    return [name for name, r in zip(active, responses, strict=True) if r["hits"]["total"]["value"]]


def iter_matching_ids(
    es: Elasticsearch,
    prefix: str,
    kind: str,
    text: str = "",
    filters: SearchFilters | None = None,
    sort: str = "relevance",
    batch: int = 500,
    literal: frozenset[str] = frozenset(),
) -> Iterator[int]:
    """Every matching id in result order, page by page with search_after (exports, alerts)."""
    cursor = None
    while True:
        page = run_search(
            es,
            prefix,
            kind,
            text,
            filters,
            size=batch,
            sort=sort,
            cursor=cursor,
            facets=False,
            literal=literal,
        )
        yield from (hit.id for hit in page.hits)
        if page.next_cursor is None:
            return
        cursor = page.next_cursor
