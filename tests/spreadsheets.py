"""Exported spreadsheets read back, and how a formula-like text must come out in them."""

import csv
import io

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell


def read_csv(data: bytes) -> list[list[str]]:
    """The rows of a CSV export (UTF-8, with or without a BOM)."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def read_xlsx(data: bytes) -> Workbook:
    """An XLSX export, loaded as Excel would (formulas as formulas, not computed values)."""
    return load_workbook(io.BytesIO(data))


def assert_inert_csv(cell: str, text: str) -> None:
    """The CSV cell holds `text` behind a leading apostrophe, so no program runs it."""
    assert cell == f"'{text}", cell


def assert_inert_xlsx(cell: Cell, text: str) -> None:
    """The XLSX cell holds exactly `text` as a string marked as text, never a formula."""
    assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", text, True), cell
