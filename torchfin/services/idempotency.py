"""Idempotency keys on API writes: a retried request gets the first answer and changes nothing.

A client whose deposit timed out cannot know whether it was booked. Sent again with the same
`Idempotency-Key`, it is not carried out a second time: the caller gets the answer the first
one got. The key is claimed in its own committed transaction before the request runs, so of
two copies arriving at once only one runs; the other is told the first is still in progress.
Keys belong to one user and are kept for `RETENTION`.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from torchfin.models import IdempotentRequest
from torchfin.models.base import utcnow
from torchfin.services.errors import Conflict, Invalid

HEADER = "Idempotency-Key"
KEY_PATTERN = r"^[\x21-\x7e]{1,200}$"  # visible ASCII: what clients put in a header anyway
RETENTION = timedelta(hours=24)


@dataclass(frozen=True)
class Answer:
    """The answer given to the first request made with a key."""

    status_code: int
    body: str


def check_key(key: str) -> None:
    """Refuse (422, naming the header) a key that is empty, too long or not visible ASCII."""
    if not re.fullmatch(KEY_PATTERN, key):
        raise Invalid(
            f"bad {HEADER}",
            {HEADER: ["Use 1 to 200 visible ASCII characters, e.g. a UUID."]},
        )


def fingerprint(method: str, path: str, query: bytes, body: bytes) -> str:
    """A digest of what the request asks, to tell a retry from another request reusing a key."""
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query, body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def claim(engine: Engine, user_id: int, key: str, print_: str) -> int | Answer:
    """Claim `key` for a new request (its record id), or the first request's `Answer`.

    409 while the first request with the key is still being answered; 422 when the key was
    used for a different request.
    """
    with Session(engine) as session:
        found = _find(session, user_id, key)
        if found is not None and found.created_at <= utcnow() - RETENTION:
            session.delete(found)  # an expired key is free again
            session.flush()  # before the insert below, which a flush would order first
            found = None
        if found is None:
            record = IdempotentRequest(user_id=user_id, key=key, fingerprint=print_)
            session.add(record)
            try:
                session.commit()
                return record.id
            except IntegrityError:  # the same key arrived at the same moment
                session.rollback()
                found = _find(session, user_id, key)
        if found.fingerprint != print_:
            raise Invalid(
                f"{HEADER} reused",
                {HEADER: ["This key was used for a different request; use a new key."]},
            )
        if found.status_code is None:
            raise Conflict(
                f"the request with {HEADER} {key} is still being answered; retry it later"
            )
        return Answer(found.status_code, found.response_body or "")


def _find(session: Session, user_id: int, key: str) -> IdempotentRequest | None:
    return session.scalar(
        select(IdempotentRequest).where(
            IdempotentRequest.user_id == user_id,
            IdempotentRequest.key == key,
        )
    )


def keep_answer(engine: Engine, record_id: int, answer: Answer) -> None:
    """Store the answer for the key's retries; after a server error, free the key instead, since
    the request may be retried and nothing tells that it took effect."""
    with Session(engine) as session, session.begin():
        record = session.get(IdempotentRequest, record_id)
        if answer.status_code >= 500:
            session.delete(record)
        else:
            record.status_code, record.response_body = answer.status_code, answer.body


def purge_expired(engine: Engine) -> int:
    """Delete keys older than `RETENTION`; how many went."""
    with Session(engine) as session, session.begin():
        gone = session.execute(
            delete(IdempotentRequest).where(IdempotentRequest.created_at <= utcnow() - RETENTION)
        )
        return gone.rowcount
