"""Recognising PDF, XLSX and DOCX by their bytes; cleaning uploaded file names (no services)."""

from pathlib import Path

import pytest

from tests.matching.documents import EXE, PDF, docx_bytes, plain_zip, xlsx_bytes
from torchfin.models.enums import DocumentKind
from torchfin.services.matching.document_types import (
    DocumentRejected,
    check_document,
    clean_filename,
    kind_from_content,
    kind_from_extension,
)


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PDF, DocumentKind.PDF),
        (xlsx_bytes(), DocumentKind.XLSX),
        (docx_bytes(), DocumentKind.DOCX),
        (EXE, None),
        (plain_zip(), None),
        (b"PK\x03\x04 truncated, not a zip", None),
        (b"", None),
    ],
)
def test_kind_comes_from_the_bytes(tmp_path: Path, content: bytes, kind):
    path = tmp_path / "upload"
    path.write_bytes(content)
    assert kind_from_content(path) == kind


def test_an_executable_named_pdf_is_refused_on_its_bytes(tmp_path: Path):
    path = tmp_path / "upload"
    path.write_bytes(EXE)
    assert kind_from_extension("年报.PDF") == DocumentKind.PDF
    with pytest.raises(DocumentRejected) as refused:
        check_document(path, DocumentKind.PDF)
    assert "not a PDF" in refused.value.errors["file"][0]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("C:\\Users\\王\\Desktop\\报表.xlsx", "报表.xlsx"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("a\x00b<c>.pdf", "abc.pdf"),
        ("合同\u202excod.pdf", "合同xcod.pdf"),  # shown as "合同fdp.docx" with the override
        ("\u2066报表\u2069\u200f.xlsx", "报表.xlsx"),
        (".hidden.pdf", "hidden.pdf"),
        ("x" * 300 + ".docx", "x" * 195 + ".docx"),
    ],
)
def test_file_names_are_reduced_to_a_safe_display_name(raw: str, clean: str):
    assert clean_filename(raw) == clean


@pytest.mark.parametrize("raw", [None, "", "   ", "../"])
def test_a_nameless_upload_is_refused(raw):
    with pytest.raises(DocumentRejected):
        clean_filename(raw)
