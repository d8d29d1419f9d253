"""The operators' queue page: queues, workers and failed jobs as RQ records them, and requeueing."""

import pytest
from rq import Worker

from tests.factories.accounts import make_user
from tests.page_helpers import sign_in
from torchfin.models.enums import Role
from torchfin.queues import DEFAULT, QUEUES, Job, queue, redis_connection


@pytest.fixture(autouse=True)
def _empty_queues():
    # Queues outlive a test within its process: start with none waiting and none failed, so the
    # page shows only this test's jobs.
    for name in QUEUES:
        work = queue(name)
        work.empty()
        for job_id in work.failed_job_registry.get_job_ids():
            work.failed_job_registry.remove(job_id, delete_job=True)


def _failing_job():
    # A real job function called with an argument it does not take: it raises in the worker.
    return queue(DEFAULT).enqueue(Job.REFRESH_FUND_ALERTS.path, no_such_argument=1)


def test_a_failed_job_is_listed_with_its_error_and_requeued_from_the_page(app, client, run_worker):
    admin = make_user(Role.ADMIN)
    job = _failing_job()
    run_worker()

    sign_in(client, admin)
    page = client.get("/admin/queues").get_data(as_text=True)
    assert f'id="job-{job.id}"' in page
    assert "unexpected keyword argument &#39;no_such_argument&#39;" in page
    assert "workers.fund_jobs.refresh_fund_alerts" in page
    assert queue(DEFAULT).failed_job_registry.get_job_ids() == [job.id]

    requeued = client.post(f"/admin/queues/{DEFAULT}/failed/{job.id}/requeue")

    assert requeued.status_code == 302
    assert queue(DEFAULT).failed_job_registry.get_job_ids() == []
    assert queue(DEFAULT).job_ids == [job.id]
    page = client.get("/admin/queues").get_data(as_text=True)
    assert f'id="job-{job.id}"' not in page
    again = client.post(f"/admin/queues/{DEFAULT}/failed/{job.id}/requeue")
    assert again.status_code == 409  # queued now, no longer failed
    run_worker()  # it fails again (nothing mended it) and is listed again
    assert queue(DEFAULT).failed_job_registry.get_job_ids() == [job.id]


def test_the_page_counts_each_queue_and_lists_this_deployments_workers(app, client):
    sign_in(client, make_user(Role.ADMIN))
    for _ in range(2):
        _failing_job()
    worker = Worker([queue(DEFAULT)], connection=redis_connection())
    worker.register_birth()  # a worker that has started up and waits for work
    try:
        page = client.get("/admin/queues").get_data(as_text=True)
    finally:
        worker.register_death()
    row = page[page.index('id="queue-default"') :].split("</tr>")[0]
    assert row.count(">2<") == 1 and ">0<" in row  # two queued, none failed
    assert worker.name in page
    page = client.get("/admin/queues").get_data(as_text=True)
    assert worker.name not in page
    assert "没有在线的 worker" in page


def test_only_an_administrator_sees_or_requeues(app, client):
    sign_in(client, make_user(Role.ZONE_ADMIN))
    assert client.get("/admin/queues").status_code == 403
    assert client.post(f"/admin/queues/{DEFAULT}/failed/x/requeue").status_code == 403
    sign_in(client, make_user(Role.ADMIN))
    missing = client.post(f"/admin/queues/{DEFAULT}/failed/no-such-job/requeue")
    assert missing.status_code == 404
    assert client.post("/admin/queues/nope/failed/x/requeue").status_code == 404
