"""Registry imports: a zone's enterprise file applied by an RQ job, and the changes it made."""

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from torchfin.models.base import Base, Timestamped, enum_column, utcnow
from torchfin.models.enums import BatchStatus


class RegistryImport(Timestamped, Base):
    """One uploaded file: who, for which zone, its progress (`done` of `total` rows) and how
    many rows created, updated, left unchanged or failed an enterprise.

    The file itself is kept (`source`) so that any worker can run or resume the import; the
    result file (`result`) is written when the import is done.
    """

    __tablename__ = "registry_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Who asked; NULL for an operator at the console (`flask registry import`).
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    # The zone the file is for; NULL when a platform admin imports a file naming its zones.
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zone.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    file_sha256: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[BatchStatus] = enum_column(BatchStatus, 10, default=BatchStatus.QUEUED)
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    job_id: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None]
    source: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    result: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)


class RegistryImportChunk(Base):
    """A chunk of an import's rows, written with the chunk's changes in one commit.

    A job killed between chunks resumes after the last chunk recorded; `outcomes` holds each
    row's fate as JSON ([row number, status, message], ...) for the result file.
    """

    __tablename__ = "registry_import_chunk"
    __table_args__ = (UniqueConstraint("import_id", "chunk_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("registry_import.id", ondelete="CASCADE"))
    chunk_no: Mapped[int]
    outcomes: Mapped[str] = mapped_column(Text)


class EnterpriseChange(Base):
    """One field of an enterprise changed by an import: who, which file, old and new values."""

    __tablename__ = "enterprise_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("registry_import.id", ondelete="SET NULL"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
