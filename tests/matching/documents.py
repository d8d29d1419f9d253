"""Files for the data-room tests: real PDF, XLSX and DOCX bytes, and impostors."""

import io
import zipfile

from openpyxl import Workbook

# A one-page PDF; its body does not matter to the checks, only its header.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
# The start of a Windows executable (the DOS header's "MZ") with a PE-looking body.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"PE\x00\x00" * 64


def xlsx_bytes() -> bytes:
    """A real workbook written by openpyxl."""
    book = Workbook()
    sheet = book.active
    sheet.append(["年份", "营业收入"])
    sheet.append([2024, 12345678.9])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx_bytes() -> bytes:
    """A minimal Office Open XML word-processing package."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        package.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>商业计划书</w:t></w:r></w:p>'
            "</w:body></w:document>",
        )
    return out.getvalue()


def plain_zip() -> bytes:
    """A ZIP archive that is no Office document."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("readme.txt", "hello")
    return out.getvalue()
