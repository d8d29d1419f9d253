"""OTC-pilot (NEEQ) readiness: the facts an enterprise records, and the checks run on them."""

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from torchfin.models.base import Base, Timestamped, enum_column, utcnow
from torchfin.models.enterprise import Enterprise
from torchfin.models.enums import BatchStatus, GovernanceBody, ReadinessOutcome
from torchfin.models.institution import Institution
from torchfin.models.reference import Zone


class ReadinessProfile(Timestamped, Base):
    """What an enterprise has recorded towards a listing on the share-transfer system.

    Every fact is optional: a fact nobody recorded makes its rule "unknown", never "pass".
    `Enterprise.founded_on` is the original founding date; a conversion from a limited company
    to a joint-stock company is recorded here with its date and whether it was made at book
    net assets (整体变更), which decides from when existence is counted.
    """

    __tablename__ = "readiness_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), unique=True
    )
    converted_on: Mapped[date | None]
    converted_at_book_value: Mapped[bool | None]
    main_business: Mapped[str | None] = mapped_column(Text)
    shares_lawful: Mapped[bool | None]
    shares_evidence: Mapped[str | None] = mapped_column(String(500))
    sponsor_broker_id: Mapped[int | None] = mapped_column(
        ForeignKey("institution.id", ondelete="SET NULL")
    )
    sponsor_engaged_on: Mapped[date | None]
    confirmation_letter_no: Mapped[str | None] = mapped_column(String(100))
    confirmation_letter_on: Mapped[date | None]

    enterprise: Mapped[Enterprise] = relationship()
    sponsor_broker: Mapped[Institution | None] = relationship()


class GovernanceRecord(Base):
    """A meeting of a governance body (股东大会、董事会、监事会) with its minutes reference."""

    __tablename__ = "governance_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[GovernanceBody] = enum_column(GovernanceBody, 24)
    held_on: Mapped[date]
    minutes_ref: Mapped[str] = mapped_column(String(200))


class ReadinessBatch(Timestamped, Base):
    """A readiness run over every enterprise of a zone, worked by an RQ job."""

    __tablename__ = "readiness_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zone.id", ondelete="CASCADE"), index=True)
    rule_set: Mapped[str] = mapped_column(String(20))
    as_of: Mapped[date]
    status: Mapped[BatchStatus] = enum_column(BatchStatus, 10, default=BatchStatus.QUEUED)
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    job_id: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None]

    zone: Mapped[Zone] = relationship()


class ReadinessCheck(Base):
    """One enterprise checked against one rule set as of a date; `results` lists every rule.

    Each result is {"code", "status", "evidence", "next_step"}. A check belongs to a batch when
    a zone run made it; (batch, enterprise) is unique so a retried job never checks twice.
    """

    __tablename__ = "readiness_check"
    __table_args__ = (UniqueConstraint("batch_id", "enterprise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("readiness_batch.id", ondelete="CASCADE"), index=True
    )
    rule_set: Mapped[str] = mapped_column(String(20))
    as_of: Mapped[date]
    outcome: Mapped[ReadinessOutcome] = enum_column(ReadinessOutcome, 12, index=True)
    results: Mapped[list[dict]] = mapped_column(JSON)
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)

    enterprise: Mapped[Enterprise] = relationship()
