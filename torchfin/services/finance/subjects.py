"""Subjects: the "<kind>:<id>" names a record's payments, audit events and ledger account carry.

"guarantee:12" is a guarantee case, "claim:3" a pool claim, "pool:1" a pool (its audit chain and
its ledger account alike). Every subject is written and read here, so the format lives once.
"""

from sqlalchemy import ColumnElement, String, cast, literal

GUARANTEE, CLAIM, POOL = "guarantee", "claim", "pool"
# The records a policy application follows, and the application itself.
LISTING, PLACEMENT, POLICY_APPLICATION = "listing", "placement", "policy_application"


def subject_of(kind: str, record_id: int) -> str:
    """The subject of a record: subject_of("claim", 3) is "claim:3"."""
    return f"{kind}:{record_id}"


def subject_expression(kind: str, record_id: ColumnElement[int]) -> ColumnElement[str]:
    """subject_of in SQL, for joining on subjects: "claim:" || claim.id."""
    return literal(f"{kind}:") + cast(record_id, String)


def parse_subject(subject: str) -> tuple[str, int]:
    """The kind and the record id a subject names: parse_subject("claim:3") is ("claim", 3)."""
    kind, record_id = subject.split(":")
    return kind, int(record_id)


def subject_pattern(kind: str) -> str:
    """A LIKE pattern matching every subject of `kind`."""
    return f"{kind}:%"
