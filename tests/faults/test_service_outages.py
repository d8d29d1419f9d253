"""Elasticsearch or Redis stopped under load: writes succeed, nothing is lost, work resumes."""

import time

import pytest
from sqlalchemy import func, select

from search.indices import alias_name
from search.reconcile import reconcile
from tests.factories.accounts import auth, make_zone_admin
from torchfin.extensions import db
from torchfin.models import OutboxEvent, ReadinessBatch

pytestmark = pytest.mark.faults


def _outbox() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxEvent))


def test_writes_survive_elasticsearch_down_and_drain_when_it_returns(
    app, client, es, sme, servers, report, run_worker, run_periodic
):
    headers = sme.headers
    servers.stop_elasticsearch()
    stopped = time.monotonic()
    created = [sme.publish(f"演练{i}") for i in range(5)]
    grown = _outbox()
    assert grown >= 10  # every create and publish waits in the outbox
    search = client.get("/api/v1/search", query_string={"q": "演练"}, headers=headers)
    assert search.status_code == 503
    run_worker()  # the drain job fails against the stopped server; the rows stay
    assert _outbox() == grown
    servers.start_elasticsearch()
    down_for = time.monotonic() - stopped
    run_periodic("sweep-search-outbox")
    assert _outbox() == 0
    divergence = {
        kind: reconcile(db.session, es, app.config["SEARCH_INDEX_PREFIX"], kind).total
        for kind in ("project", "enterprise", "mandate")
    }
    assert divergence == {"project": 0, "enterprise": 0, "mandate": 0}
    found = client.get("/api/v1/search", query_string={"q": "演练"}, headers=headers).json
    assert sorted(hit["id"] for hit in found["hits"]) == sorted(created)
    report(
        "Elasticsearch stopped during writes",
        [
            f"killed: Elasticsearch (scripts/services-stop.sh), down {down_for:.1f} s",
            "writes while down: 5 creates + 5 publishes, all 2xx; search answered 503",
            f"outbox grew to {grown} rows; a worker run while down left all {grown}",
            "after restart: sweep + worker drained the outbox to 0",
            f"reconcile divergence per kind: {divergence}",
        ],
    )


def test_redis_down_keeps_pages_and_reads_and_loses_no_write(
    app, client, es, sme, servers, report, run_worker, run_periodic
):
    headers = sme.headers
    admin, zone_code = auth(make_zone_admin(sme.zone)), sme.zone.code
    servers.stop_redis()
    pages = {path: client.get(path).status_code for path in ("/", "/login", "/api/v1/zones")}
    read = client.get("/api/v1/projects", headers=headers).status_code
    batch = client.post(
        "/api/v1/readiness/batches",
        json={"zone": zone_code, "rule_set": "neeq-2013"},
        headers=admin,
    )
    write = client.post("/api/v1/projects", json=sme.project("红色预警"), headers=headers)
    published = client.post(f"/api/v1/projects/{write.json['id']}/publish", headers=headers)
    waiting = _outbox()
    servers.start_redis()
    run_periodic("sweep-search-outbox")
    # Indexed is not yet searchable: make the drained documents visible now rather than after
    # the index's 1 s refresh, which a loaded machine may not have reached.
    es.indices.refresh(index=alias_name(app.config["SEARCH_INDEX_PREFIX"], "project"))
    found = client.get("/api/v1/search", query_string={"q": "红色预警"}, headers=headers).json
    assert pages == {"/": 200, "/login": 200, "/api/v1/zones": 200}
    assert read == 200
    assert write.status_code == 201
    assert published.status_code == 200
    assert waiting >= 3  # the enterprise, the create and the publish
    assert batch.status_code == 503
    assert "job queue is unreachable" in batch.json["message"]
    failed = db.session.scalars(select(ReadinessBatch)).one()
    assert (failed.status.value, failed.error) == ("failed", "the job queue was unreachable")
    assert _outbox() == 0
    assert [hit["id"] for hit in found["hits"]] == [write.json["id"]]
    report(
        "Redis stopped",
        [
            "killed: Redis (scripts/services-stop.sh)",
            f"pages while down: {pages}; API read: {read}",
            f"job-backed request while down: readiness batch {batch.status_code} "
            f"({batch.json['message']}); its row kept as failed",
            f"write while down: create {write.status_code}, publish {published.status_code}; "
            f"outbox held {waiting} rows (the drain job could not be enqueued)",
            "after restart: the periodic sweep drained the outbox to 0; the project is searchable",
        ],
    )
