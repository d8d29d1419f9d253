"""The bulk rescore as a run: its progress in `flask match status` and on the admin page, a
same-day rerun that writes no row, and a run whose worker is killed that resumes to the rows of
an uninterrupted one."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import delete, func, select

from tests.conftest import ROOT
from tests.factories.accounts import PASSWORD, make_user
from tests.factories.matching import build_world
from torchfin.extensions import db
from torchfin.models import Match, MatchRun
from torchfin.models.enums import BatchStatus, Role
from torchfin.services.matching.scoring import chunks_done, start_rescore
from workers.abandoned import requeue_abandoned


def _rows() -> list[tuple]:
    db.session.rollback()
    return db.session.execute(
        select(
            Match.project_id,
            Match.mandate_id,
            Match.score,
            Match.breakdown,
            Match.status,
            Match.fingerprint,
        ).order_by(Match.project_id, Match.mandate_id)
    ).all()


def _latest_run() -> MatchRun:
    db.session.rollback()
    return db.session.scalar(select(MatchRun).order_by(MatchRun.id.desc()).limit(1))


def test_a_run_shows_its_progress_in_status_and_on_the_admin_page(app, client, run_worker):
    build_world(seed=11, projects=9, mandates=5)
    run, _ = start_rescore(top_k_=2, chunk=3)
    runner = app.test_cli_runner()
    waiting = runner.invoke(args=["match", "status"])
    assert f"run {run.id} running" in waiting.output and "0/3 chunks" in waiting.output
    run_worker()
    done = runner.invoke(args=["match", "status"]).output
    run = _latest_run()
    assert run.status == BatchStatus.DONE
    # Scoring chunks and store chunks (if any), all done; every project x every mandate scored.
    assert f"{run.total_chunks}/{run.total_chunks} chunks" in done and run.total_chunks >= 3
    assert f"{9 * 5:,} pairs scored at" in done and "ETA 0 s" in done
    admin = make_user(Role.ADMIN)
    client.post("/login", data={"email": admin.email, "password": PASSWORD})
    page = client.get("/admin/queues").get_data(as_text=True)
    total = run.total_chunks
    assert f'id="match-run-{run.id}"' in page and f"{total}/{total}" in page


def test_a_rerun_the_same_day_writes_no_row(app, run_worker):
    build_world(seed=12, projects=10, mandates=6)
    start_rescore(top_k_=2)
    run_worker()
    written = db.session.execute(select(Match.id, Match.updated_at).order_by(Match.id)).all()
    assert written
    db.session.execute(delete(MatchRun))
    db.session.commit()
    start_rescore(top_k_=2)
    run_worker()
    assert _latest_run().status == BatchStatus.DONE
    assert db.session.execute(select(Match.id, Match.updated_at).order_by(Match.id)).all() == (
        written
    )


def _process_tree(pid: int) -> list[int]:
    """`pid` and its descendants: RQ's work horse leaves the worker's process group."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [pid, *(p for child in children for p in _process_tree(int(child)))]


def _wait_for(condition, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the worker never got that far"
        time.sleep(0.02)


def test_a_run_whose_worker_is_killed_resumes_to_the_rows_of_an_uninterrupted_one(app, run_worker):
    build_world(seed=13, projects=40, mandates=8)
    start_rescore(top_k_=3, chunk=1)
    run_worker()
    uninterrupted = _rows()
    assert _latest_run().status == BatchStatus.DONE and len(uninterrupted) > 40

    db.session.execute(delete(MatchRun))
    db.session.execute(delete(Match))
    db.session.commit()
    run, _ = start_rescore(top_k_=3, chunk=1)
    run_id, total = run.id, run.total_chunks
    db.session.remove()
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "rq", "worker", "--burst"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(lambda: db.session.rollback() or chunks_done(run_id) >= 3)
    finally:
        for pid in _process_tree(worker.pid):
            os.kill(pid, signal.SIGKILL)
        worker.wait()
    assert chunks_done(run_id) < total  # killed mid-run
    assert _latest_run().status == BatchStatus.RUNNING
    # The periodic job puts the killed worker's chunk back, as under `flask rq cron`; left in the
    # started registry, it would hold up the next test on this process that waits for idle queues.
    requeue_abandoned()

    again, resumed = start_rescore()  # what the operator does: the same command again
    assert resumed and again.id == run_id
    run_worker()
    run = _latest_run()
    assert run.status == BatchStatus.DONE and run.id == run_id
    assert _rows() == uninterrupted
    assert db.session.scalar(select(func.count()).select_from(MatchRun)) == 1
