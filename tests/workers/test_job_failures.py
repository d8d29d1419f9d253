"""A batch job that fails leaves its record failed with the message, nothing of its own
half-written, and the exception still raised for RQ."""

from datetime import date

import pytest
from sqlalchemy import func, select

from torchfin.extensions import db
from torchfin.models import MatchRun, MatchRunChunk
from torchfin.models.enums import BatchStatus
from torchfin.services.job_failures import failure_recorded


def test_a_failing_job_marks_its_record_failed_rolls_back_and_raises(app):
    run = MatchRun(algorithm_version="test", as_of=date(2026, 12, 5), top_k=3)
    run.status = BatchStatus.RUNNING
    db.session.add(run)
    db.session.commit()
    run_id = run.id

    with pytest.raises(RuntimeError, match="gateway down"), failure_recorded(MatchRun, run_id):
        db.session.add(MatchRunChunk(run_id=run_id, side="store", number=0, record_ids=[]))
        db.session.flush()
        raise RuntimeError("gateway down")

    db.session.expire_all()
    failed = db.session.get(MatchRun, run_id)
    assert (failed.status, failed.error) == (BatchStatus.FAILED, "gateway down")
    chunks = select(func.count()).select_from(MatchRunChunk).where(MatchRunChunk.run_id == run_id)
    assert db.session.scalar(chunks) == 0


def test_a_job_that_succeeds_leaves_its_record_alone(app):
    run = MatchRun(algorithm_version="test", as_of=date(2026, 12, 5), top_k=3)
    run.status = BatchStatus.RUNNING
    db.session.add(run)
    db.session.commit()

    with failure_recorded(MatchRun, run.id):
        run.stored = 7
    db.session.commit()

    db.session.expire_all()
    assert (run.status, run.error, run.stored) == (BatchStatus.RUNNING, None, 7)
