"""Reading an uploaded CSV (UTF-8 or GBK), plain-text or XLSX file into rows of cells.

Only the file itself is judged here (empty, too large, wrong type, undecodable); what the rows
mean is for the caller. A file that cannot be read raises `Invalid` with messages under `file`,
located in the request's files, so the API answers 422 as for any other field.
"""

import csv
import io
import zipfile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from torchfin.services.errors import Invalid

XLSX_MAGIC = b"PK\x03\x04"


def refused(zh: str, en: str) -> Invalid:
    """The 422 of a file that cannot be read, in Chinese and English."""
    return Invalid("the file cannot be read", {"file": [f"{zh} / {en}"]}, location="files")


def read_table(filename: str, content: bytes, max_bytes: int) -> list[list[object]]:
    """The rows of an uploaded .csv, .txt or .xlsx file (blank ones included, so that row
    numbers are the file's), or `Invalid` saying why it cannot be read."""
    if not content.strip():
        raise refused("文件为空", "The file is empty.")
    if len(content) > max_bytes:
        raise refused(
            f"文件超过 {max_bytes // 1024 // 1024} MB", f"The file exceeds {max_bytes:,} bytes."
        )
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx" and content.startswith(XLSX_MAGIC):
        return _xlsx_rows(content)
    if extension in ("csv", "txt") and not content.startswith(XLSX_MAGIC):
        return _csv_rows(content)
    raise refused(
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
        raise refused("无法识别文件编码（应为 UTF-8 或 GBK）", "The file is neither UTF-8 nor GBK.")
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise refused("CSV 格式错误", f"Malformed CSV: {exc}.") from exc


def _xlsx_rows(content: bytes) -> list[list[object]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise refused("无法读取 XLSX 文件", f"The XLSX file cannot be read: {exc}.") from exc
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
