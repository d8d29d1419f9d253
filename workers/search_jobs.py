"""RQ job of the search projection: thin, reloading from SQL, letting failures reach RQ."""

from flask import current_app

from search.sync import DrainResult, drain_outbox
from torchfin.extensions import db, search_client
from torchfin.queues import Job, coalesced_job_started
from torchfin.services.matching.scoring import enqueue_for_indexed


def drain_search_outbox() -> int:
    """Apply every pending outbox row to Elasticsearch; return how many were acknowledged."""
    coalesced_job_started(Job.DRAIN_SEARCH_OUTBOX)
    result: DrainResult = drain_outbox(
        db.session,
        search_client(),
        current_app.config["SEARCH_INDEX_PREFIX"],
        # Indexed projects and mandates get their matches scored against the fresh index.
        on_indexed=enqueue_for_indexed,
    )
    return result.acknowledged
