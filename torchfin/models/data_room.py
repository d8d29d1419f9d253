"""A deal's data room: documents the enterprise shares with one deal, and who downloaded them."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from torchfin.models.account import User
from torchfin.models.base import Base, enum_column, utcnow
from torchfin.models.enums import DocumentKind, ReadChannel
from torchfin.models.institution import Institution
from torchfin.models.matching import Deal


class DealDocument(Base):
    """One file shared with one deal. The bytes live under DATA_ROOM_DIR, named by
    `storage_key` (random): the uploader's file name is only shown and offered on download,
    never used as a path."""

    __tablename__ = "deal_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deal.id", ondelete="CASCADE"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    filename: Mapped[str] = mapped_column(String(200))
    kind: Mapped[DocumentKind] = enum_column(DocumentKind, 4)
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    deal: Mapped[Deal] = relationship()
    uploaded_by: Mapped[User | None] = relationship()


class DocumentDownload(Base):
    """One download of a data-room document; rows are only ever added (the download log).

    User and institution are SET NULL so the log outlives a deleted account.
    """

    __tablename__ = "deal_document_download"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("deal_document.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institution.id", ondelete="SET NULL")
    )
    channel: Mapped[ReadChannel] = enum_column(ReadChannel, 8)

    document: Mapped[DealDocument] = relationship()
    user: Mapped[User | None] = relationship()
    institution: Mapped[Institution | None] = relationship()
