"""Audit anchors catch what the chains alone cannot: events and heads rewritten together."""

from pathlib import Path

from sqlalchemy import delete, select

from torchfin.extensions import db
from torchfin.models import AuditEvent, AuditHead
from torchfin.services.finance import audit


def _chain(subject: str, steps: int) -> None:
    for n in range(steps):
        audit.record(db.session, subject, "step", data={"amount": f"{n}00.00"})
    db.session.commit()


def _rewrite_consistently(subject: str, seq: int, data: dict) -> None:
    """What the README names as the limit of the chains: change an event, then recompute every
    later hash and the head, so that each link and the head agree again."""
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.subject == subject).order_by(AuditEvent.seq)
    ).all()
    previous = audit.GENESIS
    for event in events:
        if event.seq == seq:
            event.data = data
        event.prev_hash = previous
        event.hash = previous = audit.event_hash(event)
    head = db.session.get(AuditHead, subject)
    head.head_hash = previous
    db.session.commit()


def _run(app, *args: str):
    return app.test_cli_runner().invoke(args=["audit", *args])


def test_an_anchor_catches_events_and_head_rewritten_together(app, tmp_path, monkeypatch):
    anchors = tmp_path / "anchors.txt"
    monkeypatch.setitem(app.config, "AUDIT_ANCHOR_FILE", str(anchors))
    _chain("pool:7", 3)
    _chain("case:9", 2)
    anchored = _run(app, "anchor")
    assert anchored.exit_code == 0, anchored.output
    assert len(anchors.read_text().splitlines()) == 1

    _rewrite_consistently("pool:7", 2, {"amount": "900000.00"})

    assert audit.verify(db.engine) == (5, [])  # the chains alone see nothing wrong
    plain = _run(app, "verify")
    assert plain.exit_code == 0, plain.output
    checked = _run(app, "verify", "--anchors", str(anchors))
    assert checked.exit_code == 1
    assert "pool:7 rewritten: event 3 no longer has the hash anchored on line 1" in checked.output
    assert "case:9" not in checked.output


def test_later_events_after_an_anchor_are_not_a_problem(app, tmp_path, monkeypatch):
    anchors = tmp_path / "anchors.txt"
    monkeypatch.setitem(app.config, "AUDIT_ANCHOR_FILE", str(anchors))
    _chain("pool:7", 2)
    assert _run(app, "anchor").exit_code == 0
    _chain("pool:7", 2)  # the chain grows past its anchor
    _chain("pool:8", 1)  # and a new one starts
    assert _run(app, "anchor").exit_code == 0

    result = _run(app, "verify", "--anchors", str(anchors))

    assert result.exit_code == 0, result.output
    assert "5 events verified" in result.output
    assert len(anchors.read_text().splitlines()) == 2


def test_an_edited_anchor_line_is_reported_and_anchors_nothing(app, tmp_path, monkeypatch):
    anchors = tmp_path / "anchors.txt"
    monkeypatch.setitem(app.config, "AUDIT_ANCHOR_FILE", str(anchors))
    _chain("pool:7", 2)
    assert _run(app, "anchor").exit_code == 0
    _rewrite_consistently("pool:7", 1, {"amount": "1.00"})
    # The rewriter also edits the anchor to the new head, without the key.
    new_head = db.session.get(AuditHead, "pool:7").head_hash
    signature, payload = anchors.read_text().rstrip("\n").split(" ", 1)
    old_head = payload.split('"pool:7",2,"')[1][:64]
    anchors.write_text(f"{signature} {payload.replace(old_head, new_head)}\n")

    result = _run(app, "verify", "--anchors", str(anchors))

    assert result.exit_code == 1
    assert "anchors.txt:1 forged: the anchor's signature fails" in result.output
    # Signed with another key, the file is not trusted either.
    monkeypatch.setitem(app.config, "AUDIT_ANCHOR_KEY", "another key")
    assert "forged" in _run(app, "verify", "--anchors", str(anchors)).output


def test_the_daily_periodic_job_appends_an_anchor(app, run_periodic):
    path = Path(app.config["AUDIT_ANCHOR_FILE"])
    before = len(path.read_text().splitlines()) if path.exists() else 0
    _chain("pool:7", 2)

    assert run_periodic("anchor-audit-heads") == 1  # one chain, through a real worker

    lines = path.read_text().splitlines()
    assert len(lines) == before + 1
    assert '["pool:7",2,' in lines[-1]


def test_an_anchored_chain_deleted_with_its_head_is_reported(app, tmp_path, monkeypatch):
    anchors = tmp_path / "anchors.txt"
    monkeypatch.setitem(app.config, "AUDIT_ANCHOR_FILE", str(anchors))
    _chain("pool:7", 2)
    _chain("case:9", 1)
    assert _run(app, "anchor").exit_code == 0
    db.session.execute(delete(AuditEvent).where(AuditEvent.subject == "pool:7"))
    db.session.execute(delete(AuditHead).where(AuditHead.subject == "pool:7"))
    db.session.commit()
    assert audit.verify(db.engine) == (1, [])

    result = _run(app, "verify", "--anchors", str(anchors))

    assert result.exit_code == 1
    assert "pool:7 rewritten: an anchored chain is gone" in result.output


def test_a_garbled_anchor_line_is_reported_not_a_crash(app, tmp_path, monkeypatch):
    anchors = tmp_path / "anchors.txt"
    monkeypatch.setitem(app.config, "AUDIT_ANCHOR_FILE", str(anchors))
    _chain("pool:7", 1)
    assert _run(app, "anchor").exit_code == 0
    with anchors.open("a", encoding="utf-8") as out:
        out.write('签名 {"at":"2026-01-01T00:00:00+00:00","heads":[]}\n')

    result = _run(app, "verify", "--anchors", str(anchors))

    assert result.exit_code == 1
    assert "anchors.txt:2 forged: the anchor's signature fails" in result.output
    assert "anchors.txt:1" not in result.output
