"""Reading a bank's month-end repayment file: CSV (UTF-8 or GBK) or XLSX, into typed cells.

Only the shape of the file is judged here (type, columns, blank file); what each row means
(which loan, whether the amount may be repaid) is judged by `repayment_batches`. A file that
cannot be read raises `Invalid` with messages under `file`, located in the request's files, so
the API answers 422 as for any other field.

Columns are found by their header, Chinese or English, in any order; other columns are ignored.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from torchfin.services.errors import Invalid
from torchfin.services.uploaded_tables import Unreadable, is_blank, read_table

# The columns of a repayment file: the field, its Chinese and English name, the headers taken.
LOAN_NO, AMOUNT, PAID_ON, REFERENCE = "loan_no", "amount", "paid_on", "reference"
COLUMN_NAMES = {
    LOAN_NO: ("贷款编号", "loan number"),
    AMOUNT: ("还款金额", "amount"),
    PAID_ON: ("还款日期", "date"),
    REFERENCE: ("流水号", "reference"),
}
HEADERS = {
    LOAN_NO: {"贷款编号", "贷款号", "借据号", "loan number", "loan no", "loan"},
    AMOUNT: {"还款金额", "金额", "amount", "repayment amount", "repaid amount"},
    PAID_ON: {"还款日期", "日期", "date", "repayment date", "paid on", "repaid on"},
    REFERENCE: {"流水号", "交易流水号", "reference", "ref"},
}
REQUIRED = (LOAN_NO, AMOUNT, PAID_ON)
# A month-end file of a bank's pool loans is hundreds of rows; the bound keeps one upload from
# holding a worker for hours.
MAX_ROWS = 20_000
MAX_BYTES = 5 * 1024 * 1024
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日")


@dataclass(frozen=True)
class FileRow:
    """One data row of a file as read: its row number in the file and its cells by field."""

    row_no: int
    cells: dict[str, object]


@dataclass(frozen=True)
class RepaymentFile:
    """A file read: the header each field was found under, and its data rows."""

    headers: dict[str, str]
    rows: list[FileRow]


def column_label(field: str) -> str:
    """A column's name for messages: Chinese / English."""
    zh, en = COLUMN_NAMES[field]
    return f"{zh} / {en}"


def read_repayment_file(filename: str, content: bytes) -> RepaymentFile:
    """The header and data rows of an uploaded CSV or XLSX file, or `Invalid` saying why not."""
    return _with_header(read_table(filename, content, MAX_BYTES).rows)


def _normal(header: object) -> str:
    text = "" if header is None else str(header)
    return re.sub(r"[\s_]+", " ", text.replace("\ufeff", "")).strip().lower()


def _with_header(table: list[list[object]]) -> RepaymentFile:
    rows = [(number, row) for number, row in enumerate(table, start=1) if not is_blank(row)]
    if not rows:
        raise Unreadable("文件为空", "The file is empty.")
    _, header = rows[0]
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    for index, cell in enumerate(header):
        for field, names in HEADERS.items():
            if _normal(cell) in names and field not in positions:
                positions[field], headers[field] = index, str(cell).strip()
    missing = [field for field in REQUIRED if field not in positions]
    if missing:
        raise Invalid(
            "the repayment file lacks columns",
            {"file": [f"缺少列 / Missing column: {column_label(field)}" for field in missing]},
            location="files",
        )
    data = rows[1:]
    if not data:
        raise Unreadable("文件只有表头，没有数据行", "The file has a header but no rows.")
    if len(data) > MAX_ROWS:
        raise Unreadable(f"超过 {MAX_ROWS} 行", f"More than {MAX_ROWS:,} rows.")
    return RepaymentFile(
        headers,
        [
            FileRow(
                number,
                {
                    field: (row[index] if index < len(row) else None)
                    for field, index in positions.items()
                },
            )
            for number, row in data
        ],
    )


def parse_amount(cell: object) -> Decimal | None:
    """An amount cell as Decimal (text, or an XLSX number), or None when it is not a number."""
    if isinstance(cell, bool) or cell is None:
        return None
    if isinstance(cell, float):
        # XLSX keeps numbers as binary floats: the shortest text that reads back the same is
        # what the bank typed (1234.56, not 1234.5599999999999).
        cell = repr(cell)
    text = str(cell).strip().replace(",", "").replace("，", "")
    if not re.fullmatch(r"[+-]?\d+(\.\d+)?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def parse_day(cell: object) -> date | None:
    """A date cell (text in a usual form, or an XLSX date), or None when it is not one."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = "" if cell is None else str(cell).strip()
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def text_cell(cell: object) -> str:
    """A text cell stripped; an XLSX number typed as a loan number loses its ".0"."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell).strip()
