"""A batch job's failure written on its record before RQ sees it."""

from collections.abc import Iterator
from contextlib import contextmanager

from torchfin.extensions import db
from torchfin.models.enums import BatchStatus


@contextmanager
def failure_recorded(model: type, record_id: int) -> Iterator[None]:
    """Inside, an exception rolls the session back, marks the record (a run or batch with
    `status` and `error`) failed with its message for the CLI and the pages, and is raised
    again so that RQ retries the job or keeps it in the failed registry."""
    try:
        yield
    except Exception as exc:
        db.session.rollback()
        record = db.session.get(model, record_id)
        record.status, record.error = BatchStatus.FAILED, str(exc)[:2000]
        db.session.commit()
        raise
