"""Recording changes the search projection must see, in the same transaction as the change."""

from sqlalchemy.orm import Session

from torchfin.models import Enterprise, Mandate, OutboxEvent, Project
from torchfin.models.base import Indexed
from torchfin.models.bulk import insert_rows
from torchfin.models.enums import OutboxOp
from torchfin.queues import Job, enqueue_coalesced

_KIND = {Project: "project", Enterprise: "enterprise", Mandate: "mandate"}


def record_upsert(session: Session, record: Indexed) -> None:
    """Bump the record's document version and queue its re-indexing (flushes to get an id)."""
    # A new record has no version until flushed; it starts at 1.
    record.doc_version = 1 if record.doc_version is None else record.doc_version + 1
    session.flush()
    session.add(
        OutboxEvent(
            kind=_KIND[type(record)],
            record_id=record.id,
            op=OutboxOp.UPSERT,
            doc_version=record.doc_version,
        )
    )


def record_delete(session: Session, record: Indexed) -> None:
    """Queue removal of the record's document, with a version above any it was indexed at."""
    session.add(
        OutboxEvent(
            kind=_KIND[type(record)],
            record_id=record.id,
            op=OutboxOp.DELETE,
            doc_version=record.doc_version + 1,
        )
    )


def notify_search() -> None:
    """After a commit: ask a worker to drain the outbox now rather than at the next sweep
    (unless a drain is already waiting to start: it will take this commit's rows too)."""
    enqueue_coalesced(Job.DRAIN_SEARCH_OUTBOX)


def record_upserts(session: Session, model: type[Indexed], versions: dict[int, int]) -> None:
    """Queue the re-indexing of many records at once: `versions` maps each record's id to the
    document version it now has (the caller wrote it, set-wise, with the change)."""
    insert_rows(
        session,
        OutboxEvent.__table__,
        [
            {
                "kind": _KIND[model],
                "record_id": record_id,
                "op": OutboxOp.UPSERT,
                "doc_version": version,
            }
            for record_id, version in versions.items()
        ],
    )
