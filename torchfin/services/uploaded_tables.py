"""Reading an uploaded CSV (UTF-8 or GBK) or XLSX file into a table of raw cells.

Only the file itself is judged here: its type, size, encoding and that it is not blank. What the
columns mean is for the module reading one kind of file (a bank's repayment file, the Torch
registry, a watchlist's code list). A file that cannot be read raises `Unreadable`, a 422 with a
Chinese and an English reason under the request's `file`; the readers raise it too for a file
that reads but cannot be used (no rows, too many).
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from torchfin.services.errors import Invalid

XLSX_MAGIC = b"PK\x03\x04"
_MERGE = re.compile(rb'<mergeCell ref="[A-Z]+(\d+):[A-Z]+(\d+)"')


class Unreadable(Invalid):
    """The uploaded file cannot be read or used: `zh` and `en` say why."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__("the file cannot be read", {"file": [f"{zh} / {en}"]}, location="files")
        self.zh, self.en = zh, en

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


@dataclass(frozen=True)
class Formula:
    """A spreadsheet cell holding a formula (its text), kept apart from the values typed."""

    text: str


@dataclass(frozen=True)
class Table:
    """A file's rows of raw cells (text from CSV; text, numbers, dates or `Formula` from XLSX),
    numbered as in the file, and the row spans of merged cells (first, last)."""

    rows: list[list[object]]
    merged_rows: list[tuple[int, int]]


def read_table(filename: str, content: bytes, max_bytes: int, keep_formulas: bool = False) -> Table:
    """The rows of an uploaded CSV or XLSX file (the first sheet), or `Unreadable` saying why.

    With `keep_formulas`, an XLSX formula cell is a `Formula`; without, its value as last
    computed by the program that saved it.
    """
    if not content.strip():
        raise Unreadable("文件为空", "The file is empty.")
    if len(content) > max_bytes:
        raise Unreadable(
            f"文件超过 {max_bytes // 1024 // 1024} MB", f"The file exceeds {max_bytes:,} bytes."
        )
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx" and content.startswith(XLSX_MAGIC):
        return _xlsx_table(content, keep_formulas)
    if extension in ("csv", "txt") and not content.startswith(XLSX_MAGIC):
        return Table(_csv_rows(content), [])
    raise Unreadable(
        "文件类型不支持，请上传 CSV 或 XLSX 文件",
        "Unsupported file type: upload a CSV or XLSX file.",
    )


def _csv_rows(content: bytes) -> list[list[object]]:
    # Excel in a Chinese locale saves CSV in GBK (GB18030 reads it and more); others, UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise Unreadable(
            "无法识别文件编码（应为 UTF-8 或 GBK）", "The file is neither UTF-8 nor GBK."
        )
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise Unreadable("CSV 格式错误", f"Malformed CSV: {exc}.") from exc


def _xlsx_table(content: bytes, keep_formulas: bool) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=not keep_formulas)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise Unreadable("无法读取 XLSX 文件", f"The XLSX file cannot be read: {exc}.") from exc
    try:
        sheet = workbook.worksheets[0]
        if keep_formulas:
            rows = [
                [Formula(cell.value) if cell.data_type == "f" else cell.value for cell in row]
                for row in sheet.iter_rows()
            ]
        else:
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        merged = _merged_rows(content, sheet._worksheet_path)
    finally:
        workbook.close()
    return Table(rows, merged)


def _merged_rows(content: bytes, sheet_path: str) -> list[tuple[int, int]]:
    # Read-only worksheets do not parse merged ranges; they sit after the cells in the sheet's
    # XML, so one scan of it finds them without loading the sheet as a full worksheet.
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read(sheet_path)
    return [(int(first), int(last)) for first, last in _MERGE.findall(xml)]


def is_blank(row: list[object]) -> bool:
    """Whether every cell of the row is empty or spaces."""
    return all(cell is None or str(cell).strip() == "" for cell in row)
