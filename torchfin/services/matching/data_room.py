"""A deal's data room: the enterprise shares documents with one deal; the parties to that deal
list and download them; every upload is a deal event and every download a row of the log.

Uploads are all-or-nothing. The bytes are streamed to a temporary file in DATA_ROOM_DIR (size
counted and hashed on the way), checked, renamed into place, and only then is the row committed;
whatever fails on the way removes the file, and a failed commit removes the renamed file too.
So no row exists without its file, and a file without a row only if the process dies between
the rename and the commit (or a partial file, if it dies while spooling): `orphan_files` finds
those and the periodic job `remove-orphan-documents` deletes them once they are old enough.

The documents enterprises attach to their policy applications are kept in the same store
(`store_file`), so `orphan_files` knows both kinds of rows.

A deal in a closed stage (closed won / lost) keeps its data room read-only: what was shared
stays downloadable for both parties, and uploads are refused (409) before a byte is written.
"""

import hashlib
import logging
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from torchfin.extensions import db
from torchfin.models import (
    Deal,
    DealDocument,
    DealEvent,
    DocumentDownload,
    PolicyDocument,
    User,
)
from torchfin.models.enums import DealEventKind, DocumentKind, ReadChannel
from torchfin.services.errors import Conflict, Forbidden, NotFound
from torchfin.services.matching.deals import acts_for_institution, get_deal
from torchfin.services.matching.document_types import (
    DocumentTooLarge,
    check_document,
    clean_filename,
    kind_from_extension,
    reject,
)
from torchfin.services.permissions import owns_enterprise
from torchfin.services.records import get_or_404

CHUNK = 64 * 1024
# Room for the multipart envelope around the file (boundaries, headers, the CSRF field).
MULTIPART_ALLOWANCE = 64 * 1024
PARTIAL_PREFIX = ".partial-"
# How old a file without a row must be before it counts as an orphan: far longer than any upload
# takes between writing its file and committing its row, so one in flight is never taken.
ORPHAN_GRACE_SECONDS = 3600

log = logging.getLogger(__name__)


def max_bytes() -> int:
    """The largest document accepted (DATA_ROOM_MAX_BYTES)."""
    return int(current_app.config["DATA_ROOM_MAX_BYTES"])


def request_limit() -> int:
    """The request-body limit for upload routes: the file limit plus the multipart envelope."""
    return max_bytes() + MULTIPART_ALLOWANCE


def storage_root() -> Path:
    """DATA_ROOM_DIR, created on first use."""
    root = Path(current_app.config["DATA_ROOM_DIR"])
    root.mkdir(parents=True, exist_ok=True)
    return root


def stored_path(storage_key: str) -> Path:
    """Where a document's bytes live: a two-character fan-out keeps directories small."""
    return storage_root() / storage_key[:2] / storage_key


def _spool(stream: BinaryIO, target: Path, limit: int) -> tuple[int, str]:
    # Copy at most `limit` bytes; one more means too large, and reading stops there.
    digest, size = hashlib.sha256(), 0
    with target.open("xb") as out:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise DocumentTooLarge(
                    f"The file exceeds the {limit:,}-byte limit.",
                    {"file": [f"The file exceeds the data room's limit of {limit:,} bytes."]},
                )
            digest.update(chunk)
            out.write(chunk)
    if size == 0:
        raise reject("The file is empty.")
    return size, digest.hexdigest()


class DataRoomClosed(Conflict):
    """The deal is in a closed stage (`stage`), so its data room takes no more uploads."""

    def __init__(self, deal: Deal) -> None:
        self.stage = deal.stage
        super().__init__(
            f"deal {deal.id} is in stage {deal.stage.name} ({deal.stage.key}), which is closed; "
            "its data room is read-only"
        )


def _refuse_if_closed(deal: Deal) -> None:
    # Closed won / lost ends the exchange: the room stays as it was when the deal closed.
    if deal.stage.closed:
        raise DataRoomClosed(deal)


def _lock_open_deal(deal: Deal) -> None:
    # Re-read the deal under a row lock just before the file goes into place: a move to a
    # closed stage committed while the file was spooling wins, and none can commit until ours.
    db.session.refresh(deal, with_for_update=True)
    _refuse_if_closed(deal)


@dataclass(frozen=True)
class StoredFile:
    """A checked file placed in the store, whose row the caller is about to commit."""

    filename: str
    kind: DocumentKind
    size: int
    sha256: str
    storage_key: str

    @property
    def path(self) -> Path:
        """Where its bytes are."""
        return stored_path(self.storage_key)


def store_file(
    filename: str | None, stream: BinaryIO, still_allowed: Callable[[], None]
) -> StoredFile:
    """Spool, check and place an uploaded file: PDF, XLSX or DOCX whose bytes agree with the
    extension (422), at most DATA_ROOM_MAX_BYTES (413). `still_allowed` runs just before the
    file goes into place (it locks and re-checks the record the file will belong to, raising
    to refuse). The caller commits the file's row, and removes the file if that fails.
    """
    name = clean_filename(filename)
    kind = kind_from_extension(name)
    key = secrets.token_hex(32)  # the name on disk: random, never derived from the user's
    spooled = storage_root() / f"{PARTIAL_PREFIX}{key}"
    final = stored_path(key)
    try:
        size, sha256 = _spool(stream, spooled, max_bytes())
        check_document(spooled, kind)
        still_allowed()
        final.parent.mkdir(exist_ok=True)
        os.replace(spooled, final)  # atomic within DATA_ROOM_DIR
    finally:
        spooled.unlink(missing_ok=True)
    return StoredFile(name, kind, size, sha256, key)


def upload_document(
    user: User, deal_id: int, filename: str | None, stream: BinaryIO
) -> DealDocument:
    """Share a file with one deal: the enterprise's own users only; PDF, XLSX or DOCX whose bytes
    agree with the extension (422), at most DATA_ROOM_MAX_BYTES (413); never once the deal is in
    a closed stage (409, naming the stage). Records a deal event."""
    deal = get_deal(user, deal_id)  # 404 for anyone outside the deal
    if not owns_enterprise(user, deal.match.project.enterprise):
        raise Forbidden("only the enterprise shares documents in its deal's data room")
    _refuse_if_closed(deal)  # before a byte is written
    stored = store_file(filename, stream, partial(_lock_open_deal, deal))
    try:
        document = DealDocument(
            deal=deal,
            uploaded_by_id=user.id,
            filename=stored.filename,
            kind=stored.kind,
            size=stored.size,
            sha256=stored.sha256,
            storage_key=stored.storage_key,
        )
        db.session.add(document)
        deal.events.append(
            DealEvent(kind=DealEventKind.DOCUMENT, actor_id=user.id, body=stored.filename)
        )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        stored.path.unlink(missing_ok=True)
        raise
    return document


def documents(user: User, deal_id: int) -> list[DealDocument]:
    """The deal's documents, oldest first, for the parties to the deal and admins."""
    get_deal(user, deal_id)
    return list(
        db.session.scalars(
            select(DealDocument)
            .where(DealDocument.deal_id == deal_id)
            .options(selectinload(DealDocument.uploaded_by))
            .order_by(DealDocument.id)
        )
    )


def is_party(user: User, deal: Deal) -> bool:
    """True for the deal's two parties: the enterprise's users and the institution's."""
    enterprise = deal.match.project.enterprise
    return owns_enterprise(user, enterprise) or acts_for_institution(user, deal.institution_id)


def open_document(user: User, document_id: int, channel: ReadChannel) -> tuple[DealDocument, Path]:
    """Record a download by `user` and return the document with the path of its bytes.

    The row commits before the bytes leave, so nothing is read unrecorded; the caller sends
    the file. Outsiders get 404 exactly as for the deal itself; admins, who oversee the deal,
    get 403: the enterprise shared the contents with its counterpart alone.
    """
    document = get_or_404(DealDocument, document_id, "document")
    deal = get_deal(user, document.deal_id)
    if not is_party(user, deal):
        raise Forbidden("only the deal's enterprise and institution download its documents")
    path = stored_path(document.storage_key)
    if not path.is_file():
        raise NotFound(f"the file of document {document_id} is missing from the data room")
    db.session.add(
        DocumentDownload(
            document=document,
            user_id=user.id,
            institution_id=user.institution_id,
            channel=channel,
        )
    )
    db.session.commit()
    return document, path


def download_log(user: User, deal_id: int) -> Select:
    """Who downloaded which of the deal's documents, newest first (the parties and admins)."""
    get_deal(user, deal_id)
    return (
        select(DocumentDownload)
        .join(DocumentDownload.document)
        .where(DealDocument.deal_id == deal_id)
        .options(
            selectinload(DocumentDownload.document),
            selectinload(DocumentDownload.user),
            selectinload(DocumentDownload.institution),
        )
        .order_by(DocumentDownload.id.desc())
    )


def orphan_files(min_age_seconds: float = ORPHAN_GRACE_SECONDS) -> list[Path]:
    """Files no row names and none ever will, older than `min_age_seconds` so that an upload in
    flight is not one: stored files of a process killed between the rename and the commit, and
    partial files of one killed while spooling."""
    cutoff = time.time() - min_age_seconds
    # Deal documents and the documents attached to policy applications share the store.
    known = set(db.session.scalars(select(DealDocument.storage_key)))
    known |= set(db.session.scalars(select(PolicyDocument.storage_key)))
    root = storage_root()
    candidates = [*root.glob(f"{PARTIAL_PREFIX}*"), *root.glob("*/*")]
    return [
        path
        for path in candidates
        if path.is_file() and path.name not in known and path.stat().st_mtime < cutoff
    ]


def remove_orphan_files(min_age_seconds: float = ORPHAN_GRACE_SECONDS) -> list[str]:
    """Delete the orphan files (see `orphan_files`), logging each; return their paths relative to
    DATA_ROOM_DIR. Running it again, or two at once, removes nothing more."""
    root, removed = storage_root(), []
    for path in orphan_files(min_age_seconds):
        path.unlink(missing_ok=True)
        removed.append(str(path.relative_to(root)))
        # A warning, not info: each one is an upload whose process died, worth an operator's look.
        log.warning(
            "removed orphan data-room file %s (no document row; older than %d s)",
            path,
            min_age_seconds,
        )
    return removed


def deal_room(user: User, deal: Deal, log_size: int = 50) -> dict:
    """What the deal page shows of the data room: documents, the latest downloads, whether it is
    read-only (the deal is closed) and whether the caller may upload and download."""
    read_only = deal.stage.closed
    return {
        "documents": documents(user, deal.id),
        "downloads": list(db.session.scalars(download_log(user, deal.id).limit(log_size))),
        "read_only": read_only,
        "may_upload": not read_only and owns_enterprise(user, deal.match.project.enterprise),
        "may_download": is_party(user, deal),
    }
