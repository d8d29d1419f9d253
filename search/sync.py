"""Keeping the index a projection of SQL: draining the outbox and rebuilding behind an alias."""

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from elasticsearch import Elasticsearch
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from search.documents import iter_all_ids, load_documents
from search.indices import (
    KINDS,
    SINGLE_NODE,
    IndexLayout,
    alias_name,
    create_index,
    indices_behind,
    new_index_name,
    next_alias_name,
    swap_alias,
)
from torchfin.models import OutboxEvent
from torchfin.models.enums import OutboxOp

# 409: the index already holds this or a newer version; 404: deleting what is already gone.
_ACKNOWLEDGED = {200, 201, 404, 409}


class DrainIncomplete(RuntimeError):
    """Some outbox rows were not acknowledged by Elasticsearch; they stay for the next drain."""


@dataclass
class DrainResult:
    """What one drain did."""

    acknowledged: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _write_targets(es: Elasticsearch, prefix: str, kind: str) -> list[str]:
    # During a rebuild the new index carries the `-next` alias: live changes go to both.
    targets = [alias_name(prefix, kind)]
    if es.indices.exists_alias(name=next_alias_name(prefix, kind)):
        targets.append(next_alias_name(prefix, kind))
    return targets


def _bulk(es: Elasticsearch, operations: list[dict]) -> list[tuple[int, str]]:
    """Send bulk operations; return (status, error reason) per action, in order."""
    if not operations:
        return []
    response = es.bulk(operations=operations)
    results = []
    for item in response["items"]:
        outcome = next(iter(item.values()))
        reason = outcome.get("error", {}).get("reason", "") if "error" in outcome else ""
        results.append((outcome["status"], reason))
    return results


def _index_op(index: str, record_id: int, version: int, document: dict) -> list[dict]:
    return [
        {
            "index": {
                "_index": index,
                "_id": str(record_id),
                "version": version,
                "version_type": "external",
            }
        },
        document,
    ]


def drain_outbox(
    session: Session,
    es: Elasticsearch,
    prefix: str,
    batch_size: int = 500,
    on_indexed: Callable[[str, list[int]], None] | None = None,
) -> DrainResult:
    """Apply pending outbox rows to Elasticsearch in bulk; delete each row once acknowledged.

    Documents are built from the rows' current SQL state and written with the record's
    `doc_version` as external version, so replaying, reordering or racing drains is harmless.
    Raises DrainIncomplete after committing what succeeded, so RQ records and retries the rest.
    `on_indexed(kind, ids)` hears, after each commit, which records were indexed (matching).
    """
    result = DrainResult()
    last_id = 0
    while True:
        rows = list(
            session.scalars(
                select(OutboxEvent)
                .where(OutboxEvent.id > last_id)
                .order_by(OutboxEvent.id)
                .limit(batch_size)
                .with_for_update(skip_locked=True)
            )
        )
        if not rows:
            break
        last_id = rows[-1].id
        latest: dict[tuple[str, int], OutboxEvent] = {}
        for row in rows:
            latest[(row.kind, row.record_id)] = row
        loaded = {
            kind: load_documents(
                session,
                kind,
                [rid for (k, rid), r in latest.items() if k == kind and r.op == OutboxOp.UPSERT],
            )
            for kind in KINDS
        }
        targets = {kind: _write_targets(es, prefix, kind) for kind in KINDS}
        operations: list[dict] = []
        owners: list[tuple[str, int]] = []
        for (kind, rid), row in latest.items():
            for target in targets[kind]:
                if row.op == OutboxOp.DELETE:
                    operations.append(
                        {
                            "delete": {
                                "_index": target,
                                "_id": str(rid),
                                "version": row.doc_version,
                                "version_type": "external",
                            }
                        }
                    )
                elif (source := loaded[kind].get(rid)) is not None:
                    operations += _index_op(target, rid, *source)
                else:
                    # Deleted from SQL since; its delete row follows and removes the document.
                    continue
                owners.append((kind, rid))
        failed_keys = set()
        for owner, (status, reason) in zip(owners, _bulk(es, operations), strict=True):
            if status not in _ACKNOWLEDGED:
                failed_keys.add(owner)
                result.errors.append(f"{owner[0]} {owner[1]}: {status} {reason}")
        done = [r.id for r in rows if (r.kind, r.record_id) not in failed_keys]
        retry = [r.id for r in rows if (r.kind, r.record_id) in failed_keys]
        if done:
            session.execute(delete(OutboxEvent).where(OutboxEvent.id.in_(done)))
        if retry:
            session.execute(
                update(OutboxEvent)
                .where(OutboxEvent.id.in_(retry))
                .values(attempts=OutboxEvent.attempts + 1)
            )
        session.commit()
        if on_indexed:
            for kind in KINDS:
                indexed = [
                    rid
                    for (k, rid), row in latest.items()
                    if k == kind and row.op == OutboxOp.UPSERT and (k, rid) not in failed_keys
                ]
                if indexed:
                    on_indexed(kind, indexed)
        result.acknowledged += len(done)
        result.failed += len(retry)
    if result.failed:
        raise DrainIncomplete(f"{result.failed} outbox rows not acknowledged: {result.errors[:5]}")
    return result


@dataclass
class RebuildResult:
    """What one rebuild did."""

    kind: str
    index: str
    documents: int
    replaced: list[str]


def rebuild(
    session: Session,
    es: Elasticsearch,
    prefix: str,
    kind: str,
    on_progress: Callable[[int], None] | None = None,
    chunk: int = 1000,
    layout: IndexLayout = SINGLE_NODE,
) -> RebuildResult:
    """Build a new versioned index for `kind` from SQL, then swap the alias to it atomically.

    Readers keep using the old index until the swap. Live changes drained during the load are
    written to the new index too (it carries the `-next` alias), and external versions make the
    bulk load and the live writes commute.
    """
    next_alias = next_alias_name(prefix, kind)
    live = set(indices_behind(es, alias_name(prefix, kind)))
    for stale in indices_behind(es, next_alias):
        # A rebuild that died half-way left this index behind; it never served readers.
        if stale not in live:
            es.indices.delete(index=stale)
    index = new_index_name(prefix, kind)
    create_index(es, index, kind, {next_alias: {}}, layout)
    # Nobody reads the new index before the swap: no refresh while loading it.
    es.indices.put_settings(index=index, settings={"refresh_interval": "-1"})
    count = 0
    sent: tuple[Future, int] | None = None

    def settle(batch: tuple[Future, int]) -> None:
        nonlocal count
        failures = [r for s, r in batch[0].result() if s not in _ACKNOWLEDGED]
        if failures:
            es.indices.delete(index=index)
            raise RuntimeError(f"rebuild of {kind} failed: {failures[:5]}")
        count += batch[1]
        if on_progress:
            on_progress(batch[1])

    # One batch is sent while the next is read and built: the bulk request's wait on
    # Elasticsearch overlaps the Python work instead of following it.
    with ThreadPoolExecutor(max_workers=1) as sender:
        for ids in iter_all_ids(session, kind, chunk):
            operations: list[dict] = []
            records = load_documents(session, kind, ids)
            for record_id, (version, document) in records.items():
                operations += _index_op(index, record_id, version, document)
            if sent:
                settle(sent)
            sent = (sender.submit(_bulk, es, operations), len(records))
        if sent:
            settle(sent)
    es.indices.put_settings(
        index=index, settings={"refresh_interval": layout.settings()["refresh_interval"]}
    )
    es.indices.refresh(index=index)
    replaced = swap_alias(es, prefix, kind, index)
    for old in replaced:
        es.indices.delete(index=old)
    return RebuildResult(kind, index, count, replaced)
