"""Reading a registry import file into rows checked cell by cell.

The file must be a CSV (UTF-8 or GBK) or an XLSX whose first sheet starts with a header row
naming the template's columns (`columns`); other columns are kept for the result file and
otherwise ignored. A file that cannot be taken as a whole (wrong type, blank, no credit-code
column, merged header cells, over `MAX_ROWS` rows) raises `Invalid` under `file`. Everything
else is judged per row: a bad cell, a formula (its value is whatever the program last
computed, not what was typed) or a credit code the file already had in an earlier row is a
problem of that row and column, which never stops the other rows.

An empty cell carries nothing: an import never blanks a field the registry already holds.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from torchfin.extensions import db
from torchfin.models import Industry, Zone
from torchfin.services.registry.imports import cells
from torchfin.services.registry.imports.columns import (
    BY_FIELD,
    CREDIT_CODE,
    DESCRIPTION,
    EMPLOYEES,
    FOUNDED_ON,
    HIGH_TECH_CERTIFICATE,
    HIGH_TECH_EXPIRES_ON,
    INDUSTRIES,
    LEGAL_FORM,
    NAME,
    PATENTS_GRANTED,
    PATENTS_PENDING,
    REGISTERED_ADDRESS,
    ZONE,
    column_for,
    fold,
)
from torchfin.services.uploaded_tables import Formula, Unreadable, is_blank, read_table

# A zone's registry is tens of thousands of enterprises; the bound keeps one file from holding
# a worker (and the upload's memory) for long.
MAX_ROWS = 200_000
MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    """Why a row (or one of its cells) is refused: the column's header, Chinese and English."""

    column: str
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.column}: {self.zh} / {self.en}"


@dataclass
class ImportRow:
    """One data row: its number in the file, its cells as read, and its values by field."""

    row_no: int
    raw: list[object]
    values: dict[str, object] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def code(self) -> str | None:
        """The row's credit code, when it passed its checks."""
        return self.values.get(CREDIT_CODE)


@dataclass(frozen=True)
class ImportFile:
    """A file read: its header row as typed, the column of each field found, and its rows."""

    header: list[str]
    positions: dict[str, int]
    rows: list[ImportRow]


def read_import_file(filename: str, content: bytes) -> ImportFile:
    """The checked rows of an uploaded registry file, or `Invalid` when it cannot be taken."""
    table = read_table(filename, content, MAX_BYTES, keep_formulas=True)
    numbered = [
        (number, row) for number, row in enumerate(table.rows, start=1) if not is_blank(row)
    ]
    if not numbered:
        raise Unreadable("文件为空", "The file is empty.")
    header_no, header = numbered[0]
    if any(first <= header_no <= last for first, last in table.merged_rows):
        raise Unreadable(
            f"第 {header_no} 行表头含合并单元格，请取消合并，每列一个表头",
            f"The header row {header_no} has merged cells: unmerge them, one header per column.",
        )
    positions = _positions(header)
    if CREDIT_CODE not in positions:
        raise Unreadable(
            "缺少列：统一社会信用代码", "Missing column: 统一社会信用代码 / credit code."
        )
    data = numbered[1:]
    if not data:
        raise Unreadable("文件只有表头，没有数据行", "The file has a header but no rows.")
    if len(data) > MAX_ROWS:
        raise Unreadable(
            f"共 {len(data):,} 行，超过上限 {MAX_ROWS:,} 行，请分成多个文件",
            f"{len(data):,} rows, over the limit of {MAX_ROWS:,}: split the file.",
        )
    readers = _readers()
    rows = [_read_row(number, row, positions, readers) for number, row in data]
    _refuse_repeats(rows)
    header_text = ["" if cell is None else str(cell) for cell in header]
    return ImportFile(header_text, positions, rows)


def _positions(header: list[object]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        column = column_for(cell)
        if column is not None and column.field not in positions:
            positions[column.field] = index
    return positions


def _readers() -> dict[str, Callable[[object], object]]:
    zones = _zones_by_name()
    industries = _industries_by_name()
    return {
        CREDIT_CODE: cells.credit_code,
        NAME: lambda cell: cells.limited_text(cell, 200),
        ZONE: lambda cell: _zone_id(cell, zones),
        REGISTERED_ADDRESS: lambda cell: cells.limited_text(cell, 300),
        FOUNDED_ON: cells.day,
        INDUSTRIES: lambda cell: _industry_ids(cell, industries),
        LEGAL_FORM: cells.legal_form,
        HIGH_TECH_CERTIFICATE: lambda cell: cells.limited_text(cell, 64),
        HIGH_TECH_EXPIRES_ON: cells.day,
        EMPLOYEES: cells.count,
        PATENTS_GRANTED: cells.count,
        PATENTS_PENDING: cells.count,
        DESCRIPTION: lambda cell: cells.limited_text(cell, 5000),
    }


def _read_row(
    number: int, raw: list[object], positions: dict[str, int], readers: dict
) -> ImportRow:
    row = ImportRow(number, raw)
    for name, index in positions.items():
        column = BY_FIELD[name]
        cell = raw[index] if index < len(raw) else None
        if isinstance(cell, Formula):
            row.problems.append(
                Problem(
                    column.label,
                    f"单元格是公式（{cell.text}），请粘贴为数值",
                    f"the cell holds a formula ({cell.text}): paste it as a value",
                )
            )
            continue
        if cells.text(cell) == "":
            if name == CREDIT_CODE:
                row.problems.append(Problem(column.label, "不能为空", "must not be empty"))
            continue
        try:
            row.values[name] = readers[name](cell)
        except cells.BadCell as bad:
            row.problems.append(Problem(column.label, bad.zh, bad.en))
    return row


def _refuse_repeats(rows: list[ImportRow]) -> None:
    first_seen: dict[str, int] = {}
    label = BY_FIELD[CREDIT_CODE].label
    for row in rows:
        if row.code is None:
            continue
        earlier = first_seen.setdefault(row.code, row.row_no)
        if earlier != row.row_no:
            row.problems.append(
                Problem(
                    label,
                    f"与第 {earlier} 行的统一社会信用代码重复",
                    f"repeats the credit code of row {earlier}",
                )
            )


def _key(value: str) -> str:
    return fold(value).strip().lower()


def _zones_by_name() -> dict[str, int]:
    found: dict[str, int] = {}
    for zone in db.session.execute(select(Zone.id, Zone.code, Zone.name_zh, Zone.name_en)):
        for name in (zone.code, zone.name_zh, zone.name_en):
            found[_key(name)] = zone.id
    return found


def _zone_id(cell: object, zones: dict[str, int]) -> int:
    value = cells.text(cell)
    zone_id = zones.get(_key(value))
    if zone_id is None:
        raise cells.BadCell(f"未知的高新区“{value}”", f"unknown zone {value!r}")
    return zone_id


def _industries_by_name() -> dict[str, int]:
    found: dict[str, int] = {}
    for industry in db.session.execute(
        select(Industry.id, Industry.code, Industry.name_zh, Industry.name_en)
    ):
        for name in (industry.code, industry.name_zh, industry.name_en):
            found[_key(name)] = industry.id
    return found


def _industry_ids(cell: object, industries: dict[str, int]) -> tuple[int, ...]:
    names = cells.parts(cell)
    unknown = [name for name in names if _key(name) not in industries]
    if unknown:
        listed = "、".join(unknown)
        raise cells.BadCell(f"未知的行业：{listed}", f"unknown industries: {', '.join(unknown)}")
    return tuple(sorted({industries[_key(name)] for name in names}))
