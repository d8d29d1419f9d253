"""Zone batch runs through a real RQ worker: table, counts, CSV, idempotence, CLI."""

import csv
import io
import os
import subprocess
import sys

from tests.bad_input import FORMULA_INJECTION
from tests.conftest import ROOT
from tests.factories.accounts import auth, make_zone_admin
from tests.factories.readiness import READY_ON, make_ready_facts
from tests.factories.registry import make_enterprise, make_industries, make_zone
from tests.spreadsheets import assert_inert_csv, read_csv
from torchfin.extensions import db
from torchfin.models import ReadinessBatch, ReadinessCheck
from torchfin.services.readiness.batches import outcome_counts, work_batch

API = "/api/v1/readiness"


def _zone_with_three():
    zone = make_zone()
    industries = [make_industries()["it"]]
    ready, bare, other = (make_enterprise(zone, industries) for _ in range(3))
    make_ready_facts(ready)
    make_ready_facts(other, letter=False)
    outside = make_enterprise(make_zone("xian", "西安高新技术产业开发区"), industries)
    # Ids, not rows: the worker fixture closes this session.
    return zone, ready.id, bare.id, other.id, outside.id


def test_batch_over_a_zone_runs_in_a_worker_and_exports_csv(client, run_worker):
    zone, ready, bare, other, outside = _zone_with_three()
    headers, zone_code = auth(make_zone_admin(zone)), zone.code
    started = client.post(
        f"{API}/batches",
        json={"zone": zone_code, "rule_set": "zgc-2006", "as_of": READY_ON.isoformat()},
        headers=headers,
    )
    assert started.status_code == 202, started.json
    assert started.json["status"] == "queued" and started.json["total"] == 3
    batch_id = started.json["id"]

    run_worker()

    batch = client.get(f"{API}/batches/{batch_id}", headers=headers).json
    assert (batch["status"], batch["done"], batch["total"]) == ("done", 3, 3)
    rows = client.get(f"{API}/batches/{batch_id}/rows", headers=headers).json
    outcomes = {row["enterprise_id"]: row["outcome"] for row in rows}
    assert outcomes == {ready: "ready", other: "incomplete", bare: "not_ready"}
    assert outside not in outcomes
    assert rows[0]["outcome"] == "not_ready"  # worst first
    assert outcome_counts(db.session.get(ReadinessBatch, batch_id)) == {
        "ready": 1,
        "incomplete": 1,
        "not_ready": 1,
    }

    exported = client.get(f"{API}/batches/{batch_id}/export", headers=headers)
    assert exported.mimetype == "text/csv"
    table = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert table[0][:3] == ["enterprise_id", "enterprise", "outcome"]
    assert table[0][3:] == [
        "joint_stock",
        "two_fiscal_years",
        "pilot_zone",
        "main_business",
        "governance",
        "lawful_shares",
        "sponsoring_broker",
        "confirmation_letter",
    ]
    by_id = {int(line[0]): line for line in table[1:]}
    assert by_id[other][2] == "incomplete" and by_id[other][-1] == "unknown"


def test_running_a_batch_again_checks_nobody_twice(client, run_worker):
    zone, *_ = _zone_with_three()
    headers = auth(make_zone_admin(zone))
    batch_id = client.post(
        f"{API}/batches", json={"zone": zone.code, "rule_set": "neeq-2013"}, headers=headers
    ).json["id"]
    run_worker()
    work_batch(batch_id)  # a retried job after the batch finished
    batch = db.session.get(ReadinessBatch, batch_id)
    batch.status = "running"  # as if a worker died after its last commit
    db.session.commit()
    work_batch(batch_id)
    assert db.session.query(ReadinessCheck).filter_by(batch_id=batch_id).count() == 3
    assert db.session.get(ReadinessBatch, batch_id).done == 3


def test_cli_enqueues_and_a_worker_finishes_the_batch(app, run_worker):
    zone_code = _zone_with_three()[0].code
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["readiness", "run", "--zone", zone_code, "--rules", "neeq-2013", "--no-follow"]
    )
    assert result.exit_code == 0, result.output
    run_worker()
    followed = runner.invoke(
        args=["readiness", "run", "--zone", zone_code, "--timeout", "1"]
    )  # no worker now: following gives up, saying so
    assert followed.exit_code == 1
    batches = db.session.query(ReadinessBatch).order_by(ReadinessBatch.id).all()
    assert [b.status for b in batches] == ["done", "queued"]
    assert batches[0].done == 3


def test_cli_refuses_an_unknown_zone(app):
    result = app.test_cli_runner().invoke(args=["readiness", "run", "--zone", "atlantis"])
    assert result.exit_code == 1


def test_cli_follows_a_running_worker_to_the_end(app):
    zone_code = _zone_with_three()[0].code
    db.session.remove()
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "rq", "worker"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        result = app.test_cli_runner().invoke(
            # Waits for the worker to finish, no longer; a loaded machine may need minutes.
            args=["readiness", "run", "--zone", zone_code, "--timeout", "600"]
        )
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert result.exit_code == 0, result.output
    assert "done: 3 enterprises checked" in result.output


def test_export_writes_formula_like_names_as_text(client):
    zone = make_zone()
    industries = [make_industries()["it"]]
    names = {make_enterprise(zone, industries, name).id: name for name in FORMULA_INJECTION}
    headers = auth(make_zone_admin(zone))
    batch_id = client.post(
        f"{API}/batches", json={"zone": zone.code, "rule_set": "neeq-2013"}, headers=headers
    ).json["id"]
    work_batch(batch_id)  # as the worker would

    exported = client.get(f"{API}/batches/{batch_id}/export", headers=headers)

    table = read_csv(exported.data)
    assert {int(line[0]) for line in table[1:]} == set(names)
    for line in table[1:]:
        assert_inert_csv(line[1], names[int(line[0])])
