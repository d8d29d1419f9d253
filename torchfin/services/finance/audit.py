"""The audit trail: appending hash-chained events per subject, reading and verifying them.

Each event's hash covers its subject, action, states, actor, data, time and the previous event's
hash, so a changed event breaks its own hash, a deleted or reordered one breaks the links, and the
head row (count and last hash per subject) reveals events cut off the end of a chain.
"""

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC

import orjson
from sqlalchemy import Engine, String, Text, cast, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from torchfin.models import AuditEvent, AuditHead, User
from torchfin.models.base import utcnow
from torchfin.read_snapshot import read_snapshot

GENESIS = "0" * 64


# One encoder for every hash: json.dumps with these options builds a new encoder per call.
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
# The columns a hash covers, in its order; `data` stands at _DATA.
_HASHED = ("subject", "action", "from_state", "to_state", "actor_id", "actor_name", "data")
_DATA = _HASHED.index("data")
_SORTED = orjson.OPT_SORT_KEYS


def _digest(content: list) -> str:
    """The SHA-256 of `content` in canonical JSON: an event's _HASHED columns, then its time in
    UTC as isoformat() writes it, then its predecessor's hash."""
    return hashlib.sha256(_CANONICAL.encode(content).encode()).hexdigest()


def event_hash(event: AuditEvent) -> str:
    """The SHA-256 of an event's content and its predecessor's hash (its position is the link)."""
    content = [getattr(event, name) for name in _HASHED]
    content += [event.created_at.astimezone(UTC).isoformat(), event.prev_hash]
    return _digest(content)


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


class _UTCIsoformat(FunctionElement):
    """A UTC timestamp column as the text `datetime.astimezone(UTC).isoformat()` gives for it,
    written by the database: a million events format there in a fraction of the time Python
    takes to parse each timestamp and format it again."""

    type = String()
    inherit_cache = True


@compiles(_UTCIsoformat, "postgresql")
def _utc_isoformat_postgresql(element: _UTCIsoformat, compiler, **kw) -> str:
    column = compiler.process(element.clauses, **kw)
    text = f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"
    # isoformat() leaves out a zero fraction of a second.
    return f"replace({text}, '.000000+', '+')"


@compiles(_UTCIsoformat, "sqlite")
def _utc_isoformat_sqlite(element: _UTCIsoformat, compiler, **kw) -> str:
    # SQLite keeps the UTC time as "YYYY-MM-DD HH:MM:SS.ffffff", with no offset.
    column = compiler.process(element.clauses, **kw)
    return f"replace(replace({column}, ' ', 'T') || '+00:00', '.000000+', '+')"


# What verification keeps of an event: its seq, prev_hash and hash, and whether that hash is the
# hash of what it stores.
_Stored = tuple[int, str, str, bool]


def _intact(content: list, stored: str) -> bool:
    """Whether `content` (an event's _HASHED columns, `data` as the JSON text stored, then its
    time and its predecessor's hash) has the hash `stored`, as `_digest` decides.

    orjson decodes and writes nearly every event's canonical JSON byte for byte as `json` does,
    several times faster. Where it does not (an integer beyond 64 bits, a float written another
    way, NaN), that hash cannot match by chance, and the event is hashed the defining way before
    it counts as changed.
    """
    data = content[_DATA]
    try:
        content[_DATA] = None if data is None else orjson.loads(data)
        if hashlib.sha256(orjson.dumps(content, option=_SORTED)).hexdigest() == stored:
            return True
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        pass
    content[_DATA] = None if data is None else json.loads(data)
    return _digest(content) == stored


def _chains(session: Session, batch: int) -> Iterator[tuple[str, list[_Stored]]]:
    # Plain rows, no ORM and no type processing: `data` as the text stored, the time as text
    # from the database. Each event is read once and hashed by _intact, which is what
    # verification costs.
    columns = [AuditEvent.__table__.c[name] for name in _HASHED]
    columns[_DATA] = cast(AuditEvent.data, Text)
    rows = session.connection().execute(
        select(
            *columns,
            _UTCIsoformat(AuditEvent.created_at),
            AuditEvent.prev_hash,
            AuditEvent.seq,
            AuditEvent.hash,
        )
        # The order of the unique (subject, seq) index: no sort on top (a million events).
        .order_by(AuditEvent.subject, AuditEvent.seq)
        .execution_options(yield_per=batch)
    )
    subject, chain = None, []
    for row in rows:
        name, action, from_state, to_state, actor_id, actor, data, at, prev, seq, stored = row
        if name != subject:
            if chain:
                yield subject, chain
            subject, chain = name, []
        content = [name, action, from_state, to_state, actor_id, actor, data, at, prev]
        chain.append((seq, prev, stored, _intact(content, stored)))
    if chain:
        yield subject, chain


def _check_chain(subject: str, chain: list[_Stored]) -> list[AuditProblem]:
    problems = []
    later_hashes = {stored: seq for seq, _, stored, _ in chain}
    previous = GENESIS
    for expected_seq, (seq, prev_hash, stored, intact) in enumerate(chain, start=1):
        if not intact:
            problems.append(
                AuditProblem(subject, "changed", f"event {seq} does not match its hash")
            )
        if prev_hash != previous:
            if later_hashes.get(prev_hash, 0) > seq:
                kind, what = "reordered", "follows an event that comes after it"
            else:
                kind, what = "missing", "does not follow the event before it"
            problems.append(AuditProblem(subject, kind, f"event {seq} {what}"))
        elif seq != expected_seq:
            problems.append(AuditProblem(subject, "missing", f"event {expected_seq} is missing"))
        previous = stored
    return problems


# Per chain, the (length, last hash, anchor line) an anchor file recorded (audit_anchors.py).
Anchors = Mapping[str, list[tuple[int, str, int]]]


def _check_anchors(subject: str, chain: list[_Stored], anchored: list) -> list[AuditProblem]:
    if not anchored:
        return []
    hashes = {seq: stored for seq, _, stored, _ in chain}
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
    heads = {
        subject: (count, head_hash)
        for subject, count, head_hash in session.execute(
            select(AuditHead.subject, AuditHead.count, AuditHead.head_hash)
        )
    }
    problems, seen, count = [], set(), 0
    for subject, chain in _chains(session, batch):
        count += len(chain)
        seen.add(subject)
        problems.extend(_check_chain(subject, chain))
        problems.extend(_check_anchors(subject, chain, anchors.get(subject, [])))
        head = heads.get(subject)
        if head is None:
            problems.append(AuditProblem(subject, "truncated", "the chain has no head record"))
        elif head != (len(chain), chain[-1][2]):
            problems.append(
                AuditProblem(
                    subject, "truncated", f"head says {head[0]} events, the chain has {len(chain)}"
                )
            )
    for subject in sorted(set(heads) - seen):
        problems.append(
            AuditProblem(subject, "truncated", f"all {heads[subject][0]} events are gone")
        )
    for subject in sorted(set(anchors) - seen - set(heads)):
        problems.append(AuditProblem(subject, "rewritten", "an anchored chain is gone"))
    return count, problems
