"""Cells of every spreadsheet the platform exports, CSV or XLSX, safe from formula injection.

Excel, LibreOffice and Google Sheets run a cell that starts with `=`, `+`, `-` or `@` as a
formula, and one that starts with a tab or carriage return may be read the same way; a project
titled `=HYPERLINK("http://evil.example","x")` would otherwise become a live link in the
reader's spreadsheet. Every export writes its cells through this module:

- CSV has no cell types: text starting with one of those characters gets a leading apostrophe,
  as OWASP's CSV-injection advice says, so the program shows it as text.
- XLSX has them: text is written as a string cell, never a formula, so it keeps its exact
  characters; text that looks like a formula also carries Excel's own "quote prefix" mark (what
  typing a leading apostrophe in Excel sets), so editing the cell does not turn it into one.

Numbers (Decimal, int, float) and dates are values of their own type and pass unchanged: a
negative amount stays a number.
"""

from collections.abc import Iterable

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    """Whether `value` is text a spreadsheet program could run as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def safe_cell(value: object) -> object:
    """`value` for a CSV cell: formula-like text gets a leading `'`; anything else unchanged."""
    return f"'{value}" if looks_like_formula(value) else value


def safe_row(values: Iterable[object]) -> list[object]:
    """A CSV row of `values`, each through `safe_cell`."""
    return [safe_cell(value) for value in values]


def append_safe_row(sheet: Worksheet, values: Iterable[object]) -> tuple[Cell, ...]:
    """Append `values` to `sheet` as its next row, every text a string cell; the row's cells."""
    sheet.append(list(values))
    cells = sheet[sheet.max_row]
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # openpyxl made text starting with "=" a formula
            if looks_like_formula(cell.value):
                cell.quotePrefix = True
    return cells


def safe_write_only_row(sheet: Worksheet, values: Iterable[object]) -> list[object]:
    """`values` as a row for a write-only sheet (files of many rows): text that looks like a
    formula becomes a string cell marked as text, as `append_safe_row` makes it; every other
    value passes as it is (a write-only sheet writes plain text as text), which keeps a row of
    a hundred thousand cheap. Append the list to the sheet."""
    row: list[object] = []
    for value in values:
        if looks_like_formula(value):
            cell = WriteOnlyCell(sheet, value)
            cell.data_type = "s"
            cell.quotePrefix = True
            value = cell
        row.append(value)
    return row
