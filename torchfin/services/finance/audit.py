"""The audit trail: appending hash-chained events per subject, reading and verifying them.

Each event's hash covers its subject, action, states, actor, data, time and the previous event's
hash, so a changed event breaks its own hash, a deleted or reordered one breaks the links, and the
head row (count and last hash per subject) reveals events cut off the end of a chain.
"""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import Engine, Row, select
from sqlalchemy.orm import Session

from torchfin.models import AuditEvent, AuditHead, User
from torchfin.models.base import utcnow
from torchfin.read_snapshot import read_snapshot

GENESIS = "0" * 64


def event_hash(event: AuditEvent | Row) -> str:
    """The SHA-256 of an event's content and its predecessor's hash (its position is the link)."""
    content = [
        event.subject,
        event.action,
        event.from_state,
        event.to_state,
        event.actor_id,
        event.actor_name,
        event.data,
        event.created_at.astimezone(UTC).isoformat(),
        event.prev_hash,
    ]
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def record(
    session: Session,
    subject: str,
    action: str,
    *,
    actor: User | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    data: dict | None = None,
) -> AuditEvent:
    """Append an event to `subject`'s chain in the caller's transaction (no actor: a worker)."""
    # Locking the head serialises appends to one chain on PostgreSQL; the unique (subject, seq)
    # refuses a second writer everywhere else.
    head = session.get(AuditHead, subject, with_for_update=True)
    if head is None:
        head = AuditHead(subject=subject, count=0, head_hash=GENESIS)
        session.add(head)
    event = AuditEvent(
        subject=subject,
        seq=head.count + 1,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor_id=actor.id if actor else None,
        actor_name=actor.display_name if actor else "system",
        data=data or {},
        created_at=utcnow(),
        prev_hash=head.head_hash,
    )
    event.hash = event_hash(event)
    head.count, head.head_hash = event.seq, event.hash
    session.add(event)
    return event


def timeline(session: Session, subject: str) -> list[AuditEvent]:
    """The events of one subject in order."""
    return list(
        session.scalars(
            select(AuditEvent).where(AuditEvent.subject == subject).order_by(AuditEvent.seq)
        )
    )


@dataclass(frozen=True)
class AuditProblem:
    """A break in a chain: `kind` is changed, missing, reordered or truncated."""

    subject: str
    kind: str
    message: str


def _chains(session: Session, batch: int) -> Iterator[tuple[str, list[Row]]]:
    # Plain rows, not ORM objects: verification reads every event once and changes none.
    rows = session.execute(
        select(*AuditEvent.__table__.c)
        .order_by(AuditEvent.subject, AuditEvent.seq, AuditEvent.id)
        .execution_options(yield_per=batch)
    )
    subject, chain = None, []
    for row in rows:
        if row.subject != subject and chain:
            yield subject, chain
            chain = []
        subject = row.subject
        chain.append(row)
    if chain:
        yield subject, chain


def _check_chain(subject: str, chain: list[Row]) -> list[AuditProblem]:
    problems = []
    later_hashes = {event.hash: event.seq for event in chain}
    previous = GENESIS
    for expected_seq, event in enumerate(chain, start=1):
        if event_hash(event) != event.hash:
            problems.append(
                AuditProblem(subject, "changed", f"event {event.seq} does not match its hash")
            )
        if event.prev_hash != previous:
            if later_hashes.get(event.prev_hash, 0) > event.seq:
                kind, what = "reordered", "follows an event that comes after it"
            else:
                kind, what = "missing", "does not follow the event before it"
            problems.append(AuditProblem(subject, kind, f"event {event.seq} {what}"))
        elif event.seq != expected_seq:
            problems.append(AuditProblem(subject, "missing", f"event {expected_seq} is missing"))
        previous = event.hash
    return problems


def verify(engine: Engine, batch: int = 5000) -> tuple[int, list[AuditProblem]]:
    """Verify every committed chain against its hashes and its head; return events and problems.

    Heads and events are read in one snapshot: an event committed between the two reads would
    otherwise make its chain look longer than its head says.
    """
    with read_snapshot(engine) as session:
        return _verify(session, batch)


def _verify(session: Session, batch: int) -> tuple[int, list[AuditProblem]]:
    heads = {head.subject: head for head in session.scalars(select(AuditHead))}
    problems, seen, count = [], set(), 0
    for subject, chain in _chains(session, batch):
        count += len(chain)
        seen.add(subject)
        problems.extend(_check_chain(subject, chain))
        head = heads.get(subject)
        if head is None:
            problems.append(AuditProblem(subject, "truncated", "the chain has no head record"))
        elif head.count != len(chain) or head.head_hash != chain[-1].hash:
            problems.append(
                AuditProblem(
                    subject,
                    "truncated",
                    f"head says {head.count} events, the chain has {len(chain)}",
                )
            )
    for subject in sorted(set(heads) - seen):
        problems.append(
            AuditProblem(subject, "truncated", f"all {heads[subject].count} events are gone")
        )
    return count, problems
