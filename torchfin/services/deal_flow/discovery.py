"""Searching deal flow: Elasticsearch ranks and its documents' stored fields make the result
rows; exports and alerts read the records from SQL in that rank order."""

import logging
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from functools import wraps

from elasticsearch import ApiError, BadRequestError, TransportError
from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from schemas.search import LIST_ARGS
from search.queries import (
    Hit,
    SearchFilters,
    filters_that_empty,
    iter_matching_ids,
    run_search,
)
from search.suggest import Suggestion
from search.suggest import suggest_names as suggest_in_index
from search.text_query import read_query
from torchfin.extensions import db, search_client
from torchfin.models import Enterprise, Project
from torchfin.services.errors import Invalid, Unavailable

log = logging.getLogger(__name__)


def _search_guard(func: Callable) -> Callable:
    """Turn Elasticsearch failures into Unavailable (503); details go to the log, not the user."""

    @wraps(func)
    def guarded(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except BadRequestError as exc:
            # The only caller-controlled input ES can refuse is a cursor from another search.
            raise Invalid(
                "search arguments do not fit together",
                {"cursor": ["Does not belong to this search; start again without it."]},
                location="query",
            ) from exc
        except (ApiError, TransportError) as exc:
            log.exception("search failed")
            raise Unavailable("Search is unavailable right now; please try again shortly.") from exc

    return guarded


def filters_from(args: dict) -> SearchFilters:
    """SearchFilters from validated search arguments."""
    lists = {name: [str(getattr(v, "value", v)) for v in args.get(name, [])] for name in LIST_ARGS}
    return SearchFilters(
        **lists,
        amount_min=args.get("amount_min"),
        amount_max=args.get("amount_max"),
        founded_from=args.get("founded_from"),
        founded_to=args.get("founded_to"),
        rd_intensity_min=args.get("rd_intensity_min"),
        patents_min=args.get("patents_min"),
        # Set by the saved-search alert run (never by a request): only newly published projects.
        published_after=args.get("published_after"),
    )


def _prefix() -> str:
    return current_app.config["SEARCH_INDEX_PREFIX"]


def load_in_order(model: type, ids: list[int]) -> list:
    """Rows of `model` in the order of `ids`, skipping hits deleted from SQL since the drain."""
    options = (
        [selectinload(Project.enterprise).selectinload(Enterprise.zone)]
        if model is Project
        else [selectinload(Enterprise.zone)]
    )
    rows = {
        r.id: r
        for r in db.session.scalars(select(model).where(model.id.in_(ids)).options(*options))
    }
    return [rows[i] for i in ids if i in rows]


def _project_hit(hit: Hit) -> dict:
    row = hit.row
    return {
        "id": hit.id,
        "kind": "project",
        "title": row["title"],
        "enterprise_id": row["enterprise_id"],
        "enterprise_name": row["enterprise_name"],
        "zone": row["zone_name"],
        "zone_code": row["zone_code"],
        "amount_sought": Decimal(str(row["amount_sought"])),
        "stage": row["stage"],
        "instrument": row["instrument"],
        "deadline": date.fromisoformat(row["deadline"]) if row.get("deadline") else None,
        "published_at": datetime.fromisoformat(row["published_at"])
        if row.get("published_at")
        else None,
    }


def _enterprise_hit(hit: Hit) -> dict:
    row = hit.row
    return {
        "id": hit.id,
        "kind": "enterprise",
        "title": row["enterprise_name"],
        "enterprise_id": hit.id,
        "enterprise_name": row["enterprise_name"],
        "zone": row["zone_name"],
        "zone_code": row["zone_code"],
    }


def _literal(args: dict) -> frozenset[str]:
    """The terms of q the searcher asked to take as words (saved searches may predate it)."""
    return frozenset(args.get("literal", []))


def understood_terms(kind: str, q: str, literal: frozenset[str]) -> tuple[list[dict], str]:
    """The terms recognised in q, shaped for UnderstoodTermSchema, and the words left as text."""
    reading = read_query(kind, q, literal)
    terms = [
        {
            "facet": term.facet,
            "text": term.text,
            "values": list(term.values),
            "q_without": reading.query_without(term),
        }
        for term in reading.terms
    ]
    return terms, reading.text


@_search_guard
def search_deal_flow(args: dict) -> dict:
    """Run a search from validated arguments; the result is shaped for SearchResultSchema."""
    kind = args["kind"]
    filters = filters_from(args)
    literal = _literal(args)
    size = args["page_size"]
    page = run_search(
        search_client(),
        _prefix(),
        kind,
        args["q"],
        filters,
        size=size,
        offset=(args["page"] - 1) * size,
        sort=args["sort"],
        cursor=args.get("cursor"),
        literal=literal,
        total_bound=current_app.config["SEARCH_TOTAL_BOUND"],
    )
    # Rows come from the documents' stored fields: no SQL read per search. Confidential
    # figures are not in the index, so nothing here needs a grant.
    shape = _project_hit if kind == "project" else _enterprise_hit
    hits = [{**shape(hit), "score": hit.score, "highlights": hit.highlights} for hit in page.hits]
    emptied_by = (
        filters_that_empty(search_client(), _prefix(), kind, args["q"], filters, literal)
        if page.total == 0
        else []
    )
    understood, text_query = understood_terms(kind, args["q"], literal)
    return {
        "total": page.total,
        "total_exact": page.total_exact,
        "page": args["page"],
        "page_size": size,
        "next_cursor": page.next_cursor,
        "hits": hits,
        "facets": {
            name: [{"value": v, "count": c} for v, c in buckets]
            for name, buckets in page.facets.items()
        },
        "understood": understood,
        "text_query": text_query,
        "emptied_by": emptied_by,
    }


@_search_guard
def all_matching_ids(args: dict) -> Iterator[int]:
    """Every id matching the search, in result order (for exports); not paginated."""
    return iter_matching_ids(
        search_client(),
        _prefix(),
        args["kind"],
        args["q"],
        filters_from(args),
        args["sort"],
        literal=_literal(args),
    )


@_search_guard
def suggest_names(text: str, size: int) -> list[Suggestion]:
    """Type-ahead suggestions: enterprise names and published project titles, also by pinyin."""
    return suggest_in_index(search_client(), _prefix(), text, size)
