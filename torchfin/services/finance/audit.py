"""The audit trail: appending hash-chained events per subject, reading and verifying them.

Each event's hash covers its subject, action, states, actor, data, time and the previous event's
hash, so a changed event breaks its own hash, a deleted or reordered one breaks the links, and the
head row (count and last hash per subject) reveals events cut off the end of a chain.
"""

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import orjson
from sqlalchemy import Engine, Text, cast, select
from sqlalchemy.orm import Session

from torchfin.models import AuditEvent, AuditHead, User
from torchfin.models.base import utcnow
from torchfin.read_snapshot import read_snapshot

GENESIS = "0" * 64


# One encoder for every hash: json.dumps with these options builds a new encoder per call.
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
# The columns a hash covers, in its order; `data` stands at _DATA.
_HASHED = ("subject", "action", "from_state", "to_state", "actor_id", "actor_name", "data")
_DATA = _HASHED.index("data")


def _content_hash(content: list, created_at: datetime, prev_hash: str) -> str:
    content += [created_at.astimezone(UTC).isoformat(), prev_hash]
    return hashlib.sha256(_CANONICAL.encode(content).encode()).hexdigest()


def event_hash(event: AuditEvent) -> str:
    """The SHA-256 of an event's content and its predecessor's hash (its position is the link)."""
    content = [getattr(event, name) for name in _HASHED]
    return _content_hash(content, event.created_at, event.prev_hash)


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


@dataclass(frozen=True, slots=True)
class _Stored:
    """An event as verification reads it: what it stores, and the hash of what it stores."""

    seq: int
    prev_hash: str
    hash: str
    computed: str


def _chains(session: Session, batch: int) -> Iterator[tuple[str, list[_Stored]]]:
    # Streamed plain rows on the session's connection (no ORM row processing), `data` as the
    # text stored and decoded by orjson: verification reads each event once and changes none.
    columns = [AuditEvent.__table__.c[name] for name in _HASHED]
    columns[_DATA] = cast(AuditEvent.data, Text)
    rows = session.connection().execute(
        select(
            *columns,
            AuditEvent.created_at,
            AuditEvent.prev_hash,
            AuditEvent.seq,
            AuditEvent.hash,
        )
        .order_by(AuditEvent.subject, AuditEvent.seq, AuditEvent.id)
        .execution_options(yield_per=batch)
    )
    subject, chain = None, []
    for row in rows:
        *content, created_at, prev_hash, seq, stored_hash = row
        if content[0] != subject and chain:
            yield subject, chain
            chain = []
        subject = content[0]
        content[_DATA] = orjson.loads(content[_DATA]) if content[_DATA] is not None else None
        computed = _content_hash(content, created_at, prev_hash)
        chain.append(_Stored(seq, prev_hash, stored_hash, computed))
    if chain:
        yield subject, chain


def _check_chain(subject: str, chain: list[_Stored]) -> list[AuditProblem]:
    problems = []
    later_hashes = {event.hash: event.seq for event in chain}
    previous = GENESIS
    for expected_seq, event in enumerate(chain, start=1):
        if event.computed != event.hash:
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


# Per chain, the (length, last hash, anchor line) an anchor file recorded (audit_anchors.py).
Anchors = Mapping[str, list[tuple[int, str, int]]]


def _check_anchors(subject: str, chain: list[_Stored], anchored: list) -> list[AuditProblem]:
    hashes = {event.seq: event.hash for event in chain}
    return [
        AuditProblem(
            subject,
            "rewritten",
            f"event {count} no longer has the hash anchored on line {line}",
        )
        for count, head_hash, line in anchored
        if hashes.get(count) != head_hash
    ]


def verify(
    engine: Engine, batch: int = 5000, anchors: Anchors | None = None
) -> tuple[int, list[AuditProblem]]:
    """Verify every committed chain against its hashes and its head, and against `anchors`
    when given; return events and problems.

    Heads and events are read in one snapshot: an event committed between the two reads would
    otherwise make its chain look longer than its head says.
    """
    with read_snapshot(engine) as session:
        return _verify(session, batch, anchors or {})


def _verify(session: Session, batch: int, anchors: Anchors) -> tuple[int, list[AuditProblem]]:
    heads = {head.subject: head for head in session.scalars(select(AuditHead))}
    problems, seen, count = [], set(), 0
    for subject, chain in _chains(session, batch):
        count += len(chain)
        seen.add(subject)
        problems.extend(_check_chain(subject, chain))
        problems.extend(_check_anchors(subject, chain, anchors.get(subject, [])))
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
    for subject in sorted(set(anchors) - seen - set(heads)):
        problems.append(AuditProblem(subject, "rewritten", "an anchored chain is gone"))
    return count, problems
