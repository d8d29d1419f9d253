"""Query builders and runners for searching projects, enterprises and mandates."""

from dataclasses import dataclass, field
from decimal import Decimal

from elasticsearch import Elasticsearch

from search.indices import alias_name
from search.segmentation import segment_for_query

# The text fields searched per kind, with their boosts: titles and names weigh most.
TEXT_FIELDS = {
    "project": {"title": 3.0, "summary": 1.0, "enterprise_name": 2.0},
    "enterprise": {"enterprise_name": 3.0, "description": 1.0},
    "mandate": {"name": 3.0, "description": 1.0},
}

# Facets shown beside project and enterprise results: name -> keyword field.
FACETS = {
    "project": {
        "province": "province",
        "zone": "zone_code",
        "industry": "industry_parent_codes",
        "stage": "stage",
        "instrument": "instrument",
    },
    "enterprise": {
        "province": "province",
        "zone": "zone_code",
        "industry": "industry_parent_codes",
        "qualification": "qualifications",
    },
    "mandate": {"kind": "institution_kind"},
}


@dataclass
class SearchFilters:
    """Filters a searcher can set; empty lists mean no restriction."""

    zones: list[str] = field(default_factory=list)
    provinces: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    instruments: list[str] = field(default_factory=list)
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None


@dataclass
class Hit:
    """One result: the record id, its score and highlighted fragments per field."""

    id: int
    score: float | None
    highlights: dict[str, list[str]]


@dataclass
class SearchPage:
    """A page of results with the total and the facet counts."""

    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]


def text_query(kind: str, text: str) -> dict:
    """Full-text clause: jieba words for precision, per-character phrases for recall."""
    words = segment_for_query(text)
    should = []
    for name, boost in TEXT_FIELDS[kind].items():
        should.append(
            {"match": {f"{name}_seg": {"query": words, "operator": "and", "boost": boost * 2}}}
        )
        should.append({"match_phrase": {name: {"query": text, "boost": boost}}})
        should.append(
            {"match": {name: {"query": text, "minimum_should_match": "80%", "boost": boost * 0.3}}}
        )
    return {"bool": {"should": should, "minimum_should_match": 1}}


def filter_clauses(kind: str, filters: SearchFilters) -> list[dict]:
    """Term and range filters for the searcher's choices."""
    clauses = []
    by_field = {
        "zone_code": filters.zones,
        "province": filters.provinces,
        "industry_parent_codes" if kind != "mandate" else "industries": filters.industries,
    }
    if kind == "project":
        by_field |= {"stage": filters.stages, "instrument": filters.instruments}
        clauses.append({"term": {"status": "published"}})
    for name, values in by_field.items():
        if values:
            clauses.append({"terms": {name: values}})
    if kind == "project" and (filters.amount_min is not None or filters.amount_max is not None):
        bounds = {}
        if filters.amount_min is not None:
            bounds["gte"] = float(filters.amount_min)
        if filters.amount_max is not None:
            bounds["lte"] = float(filters.amount_max)
        clauses.append({"range": {"amount_sought": bounds}})
    return clauses


def build_search(kind: str, text: str, filters: SearchFilters, offset: int, size: int) -> dict:
    """The request body of one search."""
    query: dict = {"bool": {"filter": filter_clauses(kind, filters)}}
    if text.strip():
        query["bool"]["must"] = [text_query(kind, text.strip())]
    sort = ["_score", {"id": "desc"}] if text.strip() else [{"id": "desc"}]
    return {
        "query": query,
        "from_": offset,
        "size": size,
        "sort": sort,
        "track_total_hits": True,
        "track_scores": True,
        "aggs": {name: {"terms": {"field": f, "size": 40}} for name, f in FACETS[kind].items()},
        "highlight": {
            "pre_tags": ["<mark>"],
            "post_tags": ["</mark>"],
            "fields": {name: {"number_of_fragments": 2} for name in TEXT_FIELDS[kind]},
        },
        "source": False,
    }


def run_search(
    es: Elasticsearch,
    prefix: str,
    kind: str,
    text: str = "",
    filters: SearchFilters | None = None,
    offset: int = 0,
    size: int = 20,
) -> SearchPage:
    """Search `kind` and return ids in rank order with highlights and facet counts."""
    body = build_search(kind, text, filters or SearchFilters(), offset, size)
    response = es.search(index=alias_name(prefix, kind), **body)
    hits = [
        Hit(int(h["_id"]), h.get("_score"), h.get("highlight", {}))
        for h in response["hits"]["hits"]
    ]
    facets = {
        name: [(b["key"], b["doc_count"]) for b in agg["buckets"]]
        for name, agg in response.get("aggregations", {}).items()
    }
    return SearchPage(response["hits"]["total"]["value"], hits, facets)
