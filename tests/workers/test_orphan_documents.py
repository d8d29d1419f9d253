"""The periodic job `remove-orphan-documents`, run by a real RQ worker: data-room files left by a
process that died before its row committed go once past the grace period; an upload in flight
and every stored document stay; a second run removes nothing."""

import io
import os
import time
from pathlib import Path

from tests.factories.matching import make_match_world
from tests.matching.documents import PDF
from torchfin.queues import enqueue
from torchfin.services.matching import data_room, deals
from workers.periodic import PERIODIC_JOBS

OLD = time.time() - data_room.ORPHAN_GRACE_SECONDS - 600


def _file(root: Path, relative: str, mtime: float | None = None) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(PDF)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def _stored_document(root: Path) -> Path:
    # A real upload, its file then made as old as the orphans: a row names it, so it stays.
    w = make_match_world()
    deal = deals.express_interest(w["investor_user"], w["match"].id)
    document = data_room.upload_document(w["sme_user"], deal.id, "bp.pdf", io.BytesIO(PDF))
    path = data_room.stored_path(document.storage_key)
    os.utime(path, (OLD, OLD))
    return path


def _sweep_through_a_worker(run_worker) -> tuple[list[str], str]:
    # As `flask rq cron` enqueues it; a real burst worker runs it. Its return and the log.
    periodic = next(job for job in PERIODIC_JOBS if job.name == "remove-orphan-documents")
    job = enqueue(periodic.job, **periodic.kwargs)
    done = run_worker()
    job.refresh()
    return job.return_value(), done.stdout + done.stderr


def test_the_periodic_job_removes_only_old_orphans_and_logs_them(room_dir, run_worker):
    stored = _stored_document(room_dir)
    orphan = _file(room_dir, f"ab/{'ab' + 'e' * 62}", OLD)  # killed between rename and commit
    stale_partial = _file(room_dir, f"{data_room.PARTIAL_PREFIX}{'d' * 64}", OLD)
    in_flight = _file(room_dir, f"cd/{'cd' + 'f' * 62}")  # renamed, its commit still to come
    spooling = _file(room_dir, f"{data_room.PARTIAL_PREFIX}{'c' * 64}")

    removed, output = _sweep_through_a_worker(run_worker)

    expected = [str(p.relative_to(room_dir)) for p in (orphan, stale_partial)]
    assert sorted(removed) == sorted(expected)
    assert not orphan.exists() and not stale_partial.exists()
    assert stored.read_bytes() == PDF and in_flight.exists() and spooling.exists()
    logged = [line for line in output.splitlines() if "removed orphan data-room file" in line]
    assert len(logged) == 2
    assert all(any(str(path) in line for line in logged) for path in (orphan, stale_partial))
    assert _sweep_through_a_worker(run_worker)[0] == []  # idempotent
