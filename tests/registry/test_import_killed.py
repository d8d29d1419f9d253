"""A worker killed with SIGKILL in the middle of a registry file: nothing half-written, and the
import run again ends in the state a clean run reaches (every row once, every enterprise
searchable)."""

import time

from sqlalchemy import func, select

from search.indices import alias_name
from tests.factories.registry import credit_code, make_industries, make_zone
from tests.registry.import_files import csv_file, enterprise_row
from tests.worker_processes import kill_tree
from torchfin.extensions import db
from torchfin.models import Enterprise, RegistryImport, RegistryImportChunk
from torchfin.models.enums import BatchStatus
from torchfin.services.registry.imports import records
from torchfin.services.registry.imports.runs import CHUNK
from workers.abandoned import requeue_abandoned

ROWS = 15 * CHUNK


def _record(import_id: int) -> RegistryImport:
    db.session.rollback()  # end the read transaction: see the worker's commits
    return db.session.get(RegistryImport, import_id)


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_an_import_killed_mid_file_resumes_to_the_same_state(
    app, es, background_workers, run_worker
):
    make_zone(), make_industries()
    content = csv_file(
        [enterprise_row(credit_code(100_000 + n), f"测试科技有限公司{n}") for n in range(ROWS)]
    )
    [worker] = background_workers(1)
    import_id = records.start_import(None, "企业名录.csv", content, "zhongguancun", False).id
    deadline = time.monotonic() + 300
    while _record(import_id).done == 0:
        assert time.monotonic() < deadline, "the import never committed a chunk"
        time.sleep(0.01)
    kill_tree(worker)

    killed = _record(import_id)
    assert killed.status == BatchStatus.RUNNING
    assert 0 < killed.done < ROWS, killed.done
    # Only whole chunks were committed, each with its rows' outcomes and its enterprises.
    chunks = _count(RegistryImportChunk, RegistryImportChunk.import_id == import_id)
    assert killed.done == chunks * CHUNK
    assert _count(Enterprise) == killed.created == killed.done

    # The periodic job puts the dead worker's job back (the job itself, not a second one, so no
    # started job of a dead worker is left to hold up a later test's wait for idle queues).
    requeue_abandoned()
    run_worker()
    done = _record(import_id)
    assert done.status == BatchStatus.DONE
    assert (done.done, done.created, done.updated, done.failed) == (ROWS, ROWS, 0, 0)
    assert _count(RegistryImportChunk, RegistryImportChunk.import_id == import_id) == ROWS // CHUNK
    assert _count(Enterprise) == ROWS
    assert len(records.summary(done)["rows"]) == 0
    index = alias_name(app.config["SEARCH_INDEX_PREFIX"], "enterprise")
    assert es.count(index=index)["count"] == ROWS
