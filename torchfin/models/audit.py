"""The append-only audit trail: events hash-chained per subject, with a head anchor per subject."""

from datetime import datetime

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from torchfin.models.base import Base, utcnow


class AuditEvent(Base):
    """One step of a workflow; `hash` covers its content and the previous event's hash."""

    __tablename__ = "audit_event"
    __table_args__ = (UniqueConstraint("subject", "seq", name="uq_audit_event_subject_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(40))  # "guarantee:5", "claim:3", "pool:1"
    seq: Mapped[int]
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(30))
    to_state: Mapped[str | None] = mapped_column(String(30))
    # A plain id and name, not a foreign key: deleting a user must not rewrite hashed history.
    actor_id: Mapped[int | None]
    actor_name: Mapped[str] = mapped_column(String(100), default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """How many events a subject has and the hash of its last one: reveals a truncated chain."""

    __tablename__ = "audit_head"

    subject: Mapped[str] = mapped_column(String(40), primary_key=True)
    count: Mapped[int]
    head_hash: Mapped[str] = mapped_column(String(64))
