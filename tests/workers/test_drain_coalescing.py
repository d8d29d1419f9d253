"""One waiting drain serves every commit before it starts; a later commit wakes another."""

import pytest
from sqlalchemy import func, select

from search.indices import alias_name
from tests.factories.accounts import make_user
from tests.factories.registry import make_enterprise, make_industries, make_zone
from torchfin.extensions import db
from torchfin.models import OutboxEvent, User
from torchfin.models.enums import Role
from torchfin.queues import SEARCH, Job, coalesced_job_started, queue
from torchfin.services.registry import projects

PROJECT = {
    "summary": "合并唤醒测试",
    "amount_sought": "3000000.00",
    "instrument": "equity",
    "stage": "a",
}


@pytest.fixture(autouse=True)
def _no_drain_waiting():
    # Earlier tests of this process may have left a drain queued (and its wait key expired):
    # each test here starts with none, so it counts only what its own commits enqueue.
    queue(SEARCH).empty()
    coalesced_job_started(Job.DRAIN_SEARCH_OUTBOX)


def _drains_waiting() -> int:
    return sum(
        1 for job in queue(SEARCH).get_jobs() if job.func_name == Job.DRAIN_SEARCH_OUTBOX.path
    )


def test_many_commits_wait_on_one_drain_and_all_become_searchable(app, es, run_worker):
    sme = make_user(Role.SME, enterprise=make_enterprise(make_zone(), [make_industries()["nev"]]))
    created = [projects.create_project(sme, {**PROJECT, "title": f"合并{i}"}).id for i in range(5)]
    projects.change_status(sme, created[0], "publish")
    sme_id = sme.id

    assert _drains_waiting() == 1  # six commits, one job
    run_worker()
    assert db.session.scalar(select(func.count()).select_from(OutboxEvent)) == 0
    index = alias_name(app.config["SEARCH_INDEX_PREFIX"], "project")
    versions = {i: es.get(index=index, id=i)["_version"] for i in created}
    assert versions == {created[0]: 2, **{i: 1 for i in created[1:]}}

    # The drain that ran cleared the wait: the next commit enqueues a new one.
    projects.change_status(db.session.get(User, sme_id), created[1], "publish")
    assert _drains_waiting() == 1


def test_a_commit_after_the_drain_started_enqueues_the_next_one(app, es):
    sme = make_user(Role.SME, enterprise=make_enterprise(make_zone(), [make_industries()["nev"]]))
    projects.create_project(sme, {**PROJECT, "title": "开始之前"})
    assert _drains_waiting() == 1
    # What the drain job does first thing, before it reads the outbox.
    coalesced_job_started(Job.DRAIN_SEARCH_OUTBOX)
    projects.create_project(sme, {**PROJECT, "title": "开始之后"})
    assert _drains_waiting() == 2
