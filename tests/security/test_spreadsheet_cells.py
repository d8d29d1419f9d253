"""The one rule every CSV and XLSX export writes its cells by (OWASP CSV injection)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook

from tests.bad_input import FORMULA_INJECTION
from tests.spreadsheets import assert_inert_xlsx, read_xlsx
from torchfin.services.spreadsheet_cells import (
    append_safe_row,
    safe_cell,
    safe_row,
    safe_write_only_row,
)

# A tab or carriage return ahead of a formula is stripped by some programs, which then run it.
TRIGGERED = [*FORMULA_INJECTION, "\t=1+2", "\r=1+2"]
PLAIN = ["动力电池", "a=b", "1+1", "", " =1"]


@pytest.mark.parametrize("text", TRIGGERED)
def test_formula_like_text_gets_an_apostrophe_in_csv(text):
    assert safe_cell(text) == f"'{text}"


@pytest.mark.parametrize("value", [*PLAIN, Decimal("-1.50"), -5, -0.5, date(2024, 1, 1), None])
def test_other_text_and_every_number_pass_unchanged(value):
    assert safe_cell(value) == value
    assert safe_row([value, "-1"]) == [value, "'-1"]


def test_xlsx_text_is_a_string_cell_never_a_formula():
    sheet = Workbook().active
    cells = append_safe_row(sheet, [*TRIGGERED, "动力电池", Decimal("-1.50"), -5])
    *text, plain, amount, count = cells
    for cell, value in zip(text, TRIGGERED, strict=True):
        assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", value, True)
    assert (plain.data_type, plain.quotePrefix) == ("s", False)
    assert (amount.data_type, count.data_type) == ("n", "n")


def test_write_only_xlsx_text_is_a_string_cell_never_a_formula():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("rows")
    sheet.append(safe_write_only_row(sheet, [*TRIGGERED, "动力电池", Decimal("-1.50"), -5]))
    saved = io.BytesIO()
    workbook.save(saved)
    cells = read_xlsx(saved.getvalue()).worksheets[0][1]
    for cell, text in zip(cells, TRIGGERED, strict=False):
        # XML reads a carriage return back as a line feed; still text, never a formula.
        assert_inert_xlsx(cell, text.replace("\r", "\n"))
    assert [cell.value for cell in cells[-3:]] == ["动力电池", Decimal("-1.50"), -5]
