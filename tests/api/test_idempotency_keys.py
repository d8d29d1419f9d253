"""Idempotency keys kept over time: a server error frees its key, an expired key is free again,
and the periodic purge forgets old keys.

The concurrent cases are in tests/finance/test_concurrent_requests.py.
"""

from datetime import timedelta

from sqlalchemy import func, select, update

from tests.factories.accounts import make_user
from torchfin.extensions import db
from torchfin.models import IdempotentRequest
from torchfin.models.base import utcnow
from torchfin.models.enums import Role
from torchfin.services import idempotency


def _age(record_id: int, by: timedelta) -> None:
    db.session.execute(
        update(IdempotentRequest)
        .where(IdempotentRequest.id == record_id)
        .values(created_at=utcnow() - by)
    )
    db.session.commit()


def test_an_answer_is_replayed_but_a_server_error_frees_the_key(app):
    user_id = make_user(Role.BANK).id
    first = idempotency.claim(db.engine, user_id, "k-1", "print-a")
    idempotency.keep_answer(db.engine, first, idempotency.Answer(201, '{"id": 7}'))
    assert idempotency.claim(db.engine, user_id, "k-1", "print-a") == idempotency.Answer(
        201, '{"id": 7}'
    )
    failed = idempotency.claim(db.engine, user_id, "k-2", "print-b")
    idempotency.keep_answer(db.engine, failed, idempotency.Answer(500, "{}"))
    again = idempotency.claim(db.engine, user_id, "k-2", "print-b")
    assert isinstance(again, int) and again != failed


def test_an_expired_key_is_free_again_and_the_periodic_purge_forgets_old_keys(app, run_periodic):
    user_id = make_user(Role.BANK).id
    old = idempotency.claim(db.engine, user_id, "k-old", "print-a")
    idempotency.keep_answer(db.engine, old, idempotency.Answer(202, "{}"))
    _age(old, idempotency.RETENTION + timedelta(minutes=1))
    # Past its retention the key may serve another request: no 422 for the new fingerprint.
    reused = idempotency.claim(db.engine, user_id, "k-old", "print-other")
    assert isinstance(reused, int) and reused != old
    stale = idempotency.claim(db.engine, user_id, "k-stale", "print-c")
    _age(stale, idempotency.RETENTION + timedelta(hours=1))
    assert run_periodic("purge-idempotency-keys") == 1
    kept = db.session.scalars(select(IdempotentRequest.key)).all()
    assert kept == ["k-old"]
    assert db.session.scalar(select(func.count(IdempotentRequest.id))) == 1
