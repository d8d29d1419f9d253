"""The one rule every CSV and XLSX export writes its cells by (OWASP CSV injection)."""

from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook

from tests.bad_input import FORMULA_INJECTION
from torchfin.services.spreadsheet_cells import append_safe_row, safe_cell, safe_row

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
