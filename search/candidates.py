"""Candidate retrieval for matching: the mandates a project may match and the projects a mandate
may match, with the hard constraints of docs/matching.md as Elasticsearch filters.

The scorer checks the constraints again on SQL features, so a stale document can cost a
candidate until its re-indexing, never let a forbidden pair through.
"""

from elasticsearch import Elasticsearch

from search.indices import alias_name
from torchfin.matching.features import MATCHABLE_STATUSES, MandateFeatures, ProjectFeatures
from torchfin.matching.model import MIN_COVERAGE, top_code

PAGE = 5000


def _missing(field: str) -> dict:
    return {"bool": {"must_not": {"exists": {"field": field}}}}


def mandate_query(p: ProjectFeatures) -> dict:
    """Active mandates whose hard constraints the project meets."""
    own = sorted(set(p.industries) | {top_code(c) for c in p.industries})
    return {
        "bool": {
            "filter": [
                {"term": {"active": True}},
                {"term": {"instruments": p.instrument}},
                {"range": {"ticket_min": {"lte": p.amount}}},
                {"range": {"ticket_max": {"gte": MIN_COVERAGE * p.amount}}},
                {"bool": {"should": [_missing("stages"), {"term": {"stages": p.stage}}]}},
                {
                    "bool": {
                        "should": [
                            {
                                "bool": {
                                    "must_not": [
                                        {"exists": {"field": "zones"}},
                                        {"exists": {"field": "provinces"}},
                                    ]
                                }
                            },
                            {"term": {"zones": p.zone}},
                            {"term": {"provinces": p.province}},
                        ]
                    }
                },
            ],
            "must_not": [{"terms": {"excluded_industries": own}}],
        }
    }


def project_query(m: MandateFeatures) -> dict:
    """Matchable projects that meet the mandate's hard constraints."""
    filters: list[dict] = [
        {"terms": {"status": [str(s) for s in MATCHABLE_STATUSES]}},
        {"terms": {"instrument": list(m.instruments)}},
        # ticket_max >= MIN_COVERAGE x amount, i.e. amount <= ticket_max / MIN_COVERAGE
        {"range": {"amount_sought": {"gte": m.ticket_min, "lte": m.ticket_max / MIN_COVERAGE}}},
    ]
    if m.stages:
        filters.append({"terms": {"stage": list(m.stages)}})
    if m.zones or m.provinces:
        filters.append(
            {
                "bool": {
                    "should": [
                        {"terms": {"zone_code": list(m.zones)}},
                        {"terms": {"province": list(m.provinces)}},
                    ]
                }
            }
        )
    must_not = []
    if m.excluded_industries:
        excluded = list(m.excluded_industries)
        must_not = [
            {"terms": {"industry_codes": excluded}},
            {"terms": {"industry_parent_codes": excluded}},
        ]
    return {"bool": {"filter": filters, "must_not": must_not}}


def _all_ids(es: Elasticsearch, index: str, query: dict) -> list[int]:
    # Every candidate, page by page in id order (search_after), without sources. The refresh
    # makes documents indexed by the drain that enqueued this job visible (refresh is 1 s).
    es.indices.refresh(index=index)
    ids: list[int] = []
    after = None
    while True:
        extra = {"search_after": after} if after else {}
        page = es.search(
            index=index, query=query, sort=[{"id": "asc"}], size=PAGE, source=False, **extra
        )["hits"]["hits"]
        ids += [int(hit["_id"]) for hit in page]
        if len(page) < PAGE:
            return ids
        after = page[-1]["sort"]


def mandates_for_project(es: Elasticsearch, prefix: str, p: ProjectFeatures) -> list[int]:
    """Ids of the mandates the project may match."""
    return _all_ids(es, alias_name(prefix, "mandate"), mandate_query(p))


def projects_for_mandate(es: Elasticsearch, prefix: str, m: MandateFeatures) -> list[int]:
    """Ids of the projects the mandate may match."""
    return _all_ids(es, alias_name(prefix, "project"), project_query(m))
