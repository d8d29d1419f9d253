"""Searching deal flow: Elasticsearch ranks, SQL supplies the records (in that rank order)."""

import logging

from elasticsearch import ApiError, TransportError
from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from search.queries import SearchFilters, run_search
from torchfin.extensions import db, search_client
from torchfin.models import Enterprise, Project
from torchfin.services.errors import Unavailable

log = logging.getLogger(__name__)


def _load_in_order(model: type, ids: list[int], *options) -> list:
    rows = {
        r.id: r
        for r in db.session.scalars(select(model).where(model.id.in_(ids)).options(*options))
    }
    # A hit deleted from SQL since the last drain is skipped rather than shown stale.
    return [rows[i] for i in ids if i in rows]


def search_deal_flow(args: dict) -> dict:
    """Run a search from validated arguments; the result is shaped for SearchResultSchema."""
    kind = args["kind"]
    filters = SearchFilters(
        zones=args["zone"],
        provinces=args["province"],
        industries=args["industry"],
        stages=[s.value for s in args["stage"]],
        instruments=[i.value for i in args["instrument"]],
        amount_min=args["amount_min"],
        amount_max=args["amount_max"],
    )
    size = args["page_size"]
    try:
        page = run_search(
            search_client(),
            current_app.config["SEARCH_INDEX_PREFIX"],
            kind,
            args["q"],
            filters,
            offset=(args["page"] - 1) * size,
            size=size,
        )
    except (ApiError, TransportError) as exc:
        # Elasticsearch down or its index missing: the details go to the log, not the user.
        log.exception("deal-flow search failed")
        raise Unavailable("Search is unavailable right now; please try again shortly.") from exc
    ids = [hit.id for hit in page.hits]
    by_id = {hit.id: hit for hit in page.hits}
    if kind == "project":
        records = _load_in_order(
            Project, ids, selectinload(Project.enterprise).selectinload(Enterprise.zone)
        )
        hits = [
            {
                "id": p.id,
                "kind": kind,
                "title": p.title,
                "enterprise_name": p.enterprise.name,
                "zone": p.enterprise.zone.name_zh,
                "zone_code": p.enterprise.zone.code,
                "amount_sought": p.amount_sought,
                "stage": p.stage,
                "instrument": p.instrument,
                "score": by_id[p.id].score,
                "highlights": by_id[p.id].highlights,
            }
            for p in records
        ]
    else:
        records = _load_in_order(Enterprise, ids, selectinload(Enterprise.zone))
        hits = [
            {
                "id": e.id,
                "kind": kind,
                "title": e.name,
                "enterprise_name": e.name,
                "zone": e.zone.name_zh,
                "zone_code": e.zone.code,
                "score": by_id[e.id].score,
                "highlights": by_id[e.id].highlights,
            }
            for e in records
        ]
    return {
        "total": page.total,
        "page": args["page"],
        "page_size": size,
        "hits": hits,
        "facets": {
            name: [{"value": v, "count": c} for v, c in buckets]
            for name, buckets in page.facets.items()
        },
    }
