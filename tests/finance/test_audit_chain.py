"""The audit chain: `flask audit verify` passes an intact trail and catches each tampering."""

from datetime import UTC, datetime

import orjson
import pytest
from sqlalchemy import delete, select, update

from torchfin.commands.finance import audit_verify
from torchfin.extensions import db
from torchfin.models import AuditEvent, AuditHead
from torchfin.services.finance import audit


def _chain(actor, subject: str = "guarantee:1", length: int = 5) -> list[AuditEvent]:
    states = ["applied", "accepted", "due_diligence", "risk_review", "committee_review", "approved"]
    for i in range(length):
        audit.record(
            db.session,
            subject,
            f"step{i}",
            actor=actor,
            from_state=states[i],
            to_state=states[i + 1],
            data={"n": i},
        )
    db.session.commit()
    return audit.timeline(db.session, subject)


def _kinds() -> set[str]:
    db.session.expire_all()
    return {problem.kind for problem in audit.verify(db.engine)[1]}


def test_intact_chains_verify(app, parties):
    _chain(parties.guarantor)
    _chain(parties.guarantor, "claim:7", 3)
    count, problems = audit.verify(db.engine)
    assert (count, problems) == (8, [])
    result = app.test_cli_runner().invoke(audit_verify)
    assert result.exit_code == 0, result.output


def test_changed_event_is_detected(app, parties):
    events = _chain(parties.guarantor)
    db.session.execute(
        update(AuditEvent).where(AuditEvent.id == events[2].id).values(to_state="approved")
    )
    db.session.commit()
    assert "changed" in _kinds()
    assert app.test_cli_runner().invoke(audit_verify).exit_code == 1


def test_deleted_event_is_detected(parties):
    events = _chain(parties.guarantor)
    db.session.execute(delete(AuditEvent).where(AuditEvent.id == events[1].id))
    db.session.commit()
    assert "missing" in _kinds()


def test_reordered_events_are_detected(parties):
    events = _chain(parties.guarantor)
    second, third = events[1].id, events[2].id
    # Swap the positions of two events (through a free number: (subject, seq) is unique).
    for event_id, seq in ((second, 99), (third, 2), (second, 3)):
        db.session.execute(update(AuditEvent).where(AuditEvent.id == event_id).values(seq=seq))
    db.session.commit()
    assert "reordered" in _kinds()


@pytest.mark.parametrize("cut", [1, 5])
def test_truncated_chain_is_detected(parties, cut):
    events = _chain(parties.guarantor)
    doomed = [event.id for event in events[-cut:]]
    db.session.execute(delete(AuditEvent).where(AuditEvent.id.in_(doomed)))
    db.session.commit()
    assert _kinds() == {"truncated"}


def test_head_tracks_the_last_event(parties):
    events = _chain(parties.guarantor)
    head = db.session.scalar(select(AuditHead).where(AuditHead.subject == "guarantee:1"))
    assert (head.count, head.head_hash) == (5, events[-1].hash)
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]


def test_an_event_committed_during_the_check_is_not_a_truncation(parties, commit_during):
    _chain(parties.guarantor)
    commit_during("audit_event", lambda: _chain(parties.guarantor, length=1))
    # The check reads the heads, then the events: the sixth event commits in between.
    assert audit.verify(db.engine) == (5, [])
    assert audit.verify(db.engine) == (6, [])


def test_an_event_on_a_whole_second_verifies(parties):
    # The database writes each event's time for its hash; isoformat() leaves a zero fraction out.
    _chain(parties.guarantor, length=2)
    db.session.execute(
        update(AuditEvent)
        .where(AuditEvent.seq == 1)
        .values(created_at=datetime(2026, 3, 1, 8, 30, tzinfo=UTC), prev_hash=audit.GENESIS)
    )
    first = db.session.scalar(select(AuditEvent).where(AuditEvent.seq == 1))
    db.session.refresh(first)
    first.hash = audit.event_hash(first)
    second = db.session.scalar(select(AuditEvent).where(AuditEvent.seq == 2))
    second.prev_hash = first.hash
    second.hash = audit.event_hash(second)
    db.session.get(AuditHead, "guarantee:1").head_hash = second.hash
    db.session.commit()
    assert first.created_at.isoformat() == "2026-03-01T08:30:00+00:00"
    assert audit.verify(db.engine) == (2, [])


def test_data_orjson_reads_otherwise_is_hashed_the_defining_way(parties):
    # Verification decodes with orjson first; past 64 bits it reads a float, so this event's
    # hash is only found again through the json module.
    units = 2**70
    assert isinstance(orjson.loads(str(units)), float)
    audit.record(db.session, "pool:3", "adjust", data={"units": units, "note": "大额"})
    db.session.commit()
    assert audit.verify(db.engine) == (1, [])

    db.session.execute(update(AuditEvent).values(data={"units": units + 1, "note": "大额"}))
    db.session.commit()
    assert _kinds() == {"changed"}
