"""Outbox draining through real workers: the periodic sweep, idempotence, stale writes."""

from decimal import Decimal

from sqlalchemy import func, select

from search.indices import alias_name
from search.sync import drain_outbox
from tests.factories.registry import make_enterprise, make_industries, make_zone
from torchfin.extensions import db
from torchfin.models import OutboxEvent, Project
from torchfin.models.base import utcnow
from torchfin.models.enums import Instrument, ProjectStatus, Stage
from torchfin.services.outbox import record_upsert


def _project_with_outbox_row() -> Project:
    zone = make_zone()
    enterprise = make_enterprise(zone, [make_industries()["nev"]])
    project = Project(
        enterprise=enterprise,
        title="纯电动物流车",
        summary="城市配送纯电动物流车",
        amount_sought=Decimal("8000000.00"),
        instrument=Instrument.LEASING,
        stage=Stage.B,
        status=ProjectStatus.PUBLISHED,
        published_at=utcnow(),
    )
    db.session.add(project)
    record_upsert(db.session, project)
    db.session.commit()  # no job enqueued: as if Redis had been down at commit time
    return project


def test_periodic_sweep_drains_rows_whose_job_was_never_enqueued(app, es, run_periodic):
    project = _project_with_outbox_row()
    project_id, version = project.id, project.doc_version
    run_periodic("sweep-search-outbox")
    assert db.session.scalar(select(func.count()).select_from(OutboxEvent)) == 0
    doc = es.get(index=alias_name(app.config["SEARCH_INDEX_PREFIX"], "project"), id=project_id)
    assert doc["_version"] == version
    assert doc["_source"]["title"] == "纯电动物流车"


def test_draining_twice_changes_nothing(app, es):
    project = _project_with_outbox_row()
    prefix = app.config["SEARCH_INDEX_PREFIX"]
    assert drain_outbox(db.session, es, prefix).acknowledged == 1
    record_upsert(db.session, project)
    db.session.commit()
    replay = db.session.scalars(select(OutboxEvent)).one()
    assert drain_outbox(db.session, es, prefix).acknowledged == 1
    # Replaying the same change (a retried job) is acknowledged without writing anything new.
    db.session.add(OutboxEvent(kind="project", record_id=project.id, op=replay.op, doc_version=2))
    db.session.commit()
    assert drain_outbox(db.session, es, prefix).acknowledged == 1
    doc = es.get(index=alias_name(prefix, "project"), id=project.id)
    assert doc["_version"] == 2


def test_a_stale_write_never_overwrites_a_newer_document(app, es):
    project = _project_with_outbox_row()
    prefix = app.config["SEARCH_INDEX_PREFIX"]
    index = alias_name(prefix, "project")
    es.index(
        index=index,
        id=str(project.id),
        version=99,
        version_type="external",
        document={"id": project.id, "title": "更新的版本", "status": "published"},
    )
    drain_outbox(db.session, es, prefix)
    assert es.get(index=index, id=project.id)["_source"]["title"] == "更新的版本"
    assert db.session.scalar(select(func.count()).select_from(OutboxEvent)) == 0
