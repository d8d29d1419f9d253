"""The search outbox: one row per change Elasticsearch must see, committed with the change."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from torchfin.models.base import Base, enum_column, utcnow
from torchfin.models.enums import OutboxOp


class OutboxEvent(Base):
    """A pending change of the search projection; deleted once Elasticsearch acknowledged it."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int]
    op: Mapped[OutboxOp] = enum_column(OutboxOp, 8)
    doc_version: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
