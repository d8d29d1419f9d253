"""What a data-room file is: its extension and its own bytes must both say PDF, XLSX or DOCX.

The client's Content-Type is never trusted (any program can send any header); the extension
alone is not either (an .exe renamed .pdf). A PDF starts with `%PDF-`; XLSX and DOCX are ZIP
packages (Office Open XML) whose central directory lists `[Content_Types].xml` and the main part
of their kind. Reading the ZIP directory decompresses nothing, so a ZIP bomb costs nothing here.
"""

import re
import unicodedata
import zipfile
from pathlib import Path, PurePosixPath, PureWindowsPath

from schemas.fields import DIRECTION_CONTROLS
from torchfin.models.enums import DocumentKind
from torchfin.services.errors import Invalid, ServiceError

MEDIA_TYPES = {
    DocumentKind.PDF: "application/pdf",
    DocumentKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    DocumentKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# The part that makes an OOXML package a workbook or a word-processing document.
MAIN_PARTS = {DocumentKind.XLSX: "xl/workbook.xml", DocumentKind.DOCX: "word/document.xml"}
PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
FILENAME_MAX = 200
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\"<>|*?]")


class DocumentRejected(Invalid):
    """The file is not a PDF, XLSX or DOCX, or its bytes contradict its extension (422)."""


class DocumentTooLarge(ServiceError):
    """The file exceeds DATA_ROOM_MAX_BYTES (413)."""

    status = 413


def reject(message: str) -> DocumentRejected:
    """A 422 whose field message names the `file` field."""
    return DocumentRejected(message, {"file": [message]})


def clean_filename(raw: str | None) -> str:
    """The name to show and offer on download: last path segment, no control, direction-control
    or shell-special characters, at most FILENAME_MAX characters with the extension kept."""
    name = unicodedata.normalize("NFC", raw or "")
    # Browsers on Windows may send a full path; keep only the file's own name.
    name = PureWindowsPath(PurePosixPath(name).name).name
    name = DIRECTION_CONTROLS.sub("", _UNSAFE.sub("", name)).strip().lstrip(".")
    if len(name) > FILENAME_MAX:
        stem, dot, ext = name.rpartition(".")
        name = stem[: FILENAME_MAX - len(ext) - 1] + dot + ext if dot else name[:FILENAME_MAX]
    if not name:
        raise reject("Choose a file to upload.")
    return name


def kind_from_extension(filename: str) -> DocumentKind:
    """The kind the extension claims, or a 422 naming the kinds allowed."""
    extension = filename.rpartition(".")[2].lower() if "." in filename else ""
    try:
        return DocumentKind(extension)
    except ValueError:
        raise reject(
            f"Only PDF, XLSX and DOCX files may be shared, not '.{extension or '(none)'}'."
        ) from None


def kind_from_content(path: Path) -> DocumentKind | None:
    """The kind the file's bytes show, or None when they are none of the three."""
    with path.open("rb") as stream:
        head = stream.read(8)
    if head.startswith(PDF_MAGIC):
        return DocumentKind.PDF
    if not head.startswith(ZIP_MAGIC):
        return None
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    return next((kind for kind, part in MAIN_PARTS.items() if part in names), None)


def check_document(path: Path, claimed: DocumentKind) -> None:
    """Refuse (422) a file whose bytes are not the kind its extension claims."""
    found = kind_from_content(path)
    if found is None:
        raise reject(
            f"The file's content is not a {claimed.upper()} document "
            "(only PDF, XLSX and DOCX files may be shared)."
        )
    if found != claimed:
        raise reject(f"The file is named .{claimed} but its content is a {found.upper()} document.")
