"""Reading a registry import file: headers as zones really type them, cells folded and checked,
and files refused whole with a reason in Chinese and English."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from tests.factories.registry import credit_code, make_industries, make_zone
from tests.registry.import_files import HEADER, csv_file, enterprise_row, xlsx_file
from torchfin.services.errors import Invalid
from torchfin.services.registry.imports import cells, import_file
from torchfin.services.registry.imports.columns import column_for
from torchfin.services.registry.imports.import_file import read_import_file


@pytest.fixture
def reference():
    """The zone and industries the files name."""
    return make_zone(), make_industries()


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("统一社会信用代码", "credit_code"),
        (" 统一社会 信用代码 ", "credit_code"),
        ("社会信用代码", "credit_code"),
        ("信用代码*", "credit_code"),
        ("Credit Code", "credit_code"),
        ("注册地址（住所）", "registered_address"),
        ("注册地址(住所)", "registered_address"),
        ("企业名称", "name"),
        ("Company_Name", "name"),
        ("成立日期", "founded_on"),
        ("所属高新区", "zone"),
        ("高新技术企业证书编号", "high_tech_certificate"),
        ("ＥＭＰＬＯＹＥＥＳ", "employees"),
    ],
)
def test_headers_are_found_under_their_variants(header, field):
    assert column_for(header).field == field


def test_an_unknown_header_is_no_column():
    assert column_for("备注") is None


@pytest.mark.parametrize(
    "cell",
    ["2019-05-01", "2019/5/1", "2019年5月1日", "20190501", "2019.05.01", 43586, 43586.0, "43586"],
)
def test_dates_as_text_or_excel_serials(cell):
    assert cells.day(cell) == date(2019, 5, 1)


@pytest.mark.parametrize("cell", ["2019-13-01", "May 2019", "yesterday", -5, 3.5])
def test_what_is_not_a_date_is_refused_in_both_languages(cell):
    with pytest.raises(cells.BadCell) as refused:
        cells.day(cell)
    assert "日期" in refused.value.zh and "date" in refused.value.en


def test_full_width_credit_codes_are_folded_before_their_checks():
    code = credit_code(7)
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in code).lower()
    assert cells.credit_code(full_width) == code
    assert cells.credit_code(f" {code[:9]} {code[9:]} ") == code


def test_a_credit_code_failing_its_check_says_which_check():
    code = credit_code(7)
    broken = code[:17] + ("1" if code[17] != "1" else "2")
    with pytest.raises(cells.BadCell) as refused:
        cells.credit_code(broken)
    assert "code_check" in refused.value.en and "校验失败" in refused.value.zh


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_and_gbk_reads_the_same(reference, encoding):
    content = csv_file(
        [enterprise_row(credit_code(1), "北京云图软件科技有限公司")], encoding=encoding
    )
    parsed = read_import_file("企业.csv", content)
    [row] = parsed.rows
    assert row.problems == []
    assert row.values["name"] == "北京云图软件科技有限公司"
    assert row.values["founded_on"] == date(2019, 5, 1)
    assert row.values["zone"] == reference[0].id
    assert row.values["industries"] == (reference[1]["it"].id,)


def test_xlsx_rows_are_numbered_as_in_the_file_and_cells_checked(reference):
    content = xlsx_file(
        [
            enterprise_row(credit_code(1), "甲科技有限公司", founded=43586),
            [],
            enterprise_row("91110108ABC", "乙科技有限公司", legal_form="合伙企业"),
        ]
    )
    parsed = read_import_file("企业.xlsx", content)
    assert [row.row_no for row in parsed.rows] == [2, 4]
    assert parsed.rows[0].values["founded_on"] == date(2019, 5, 1)
    problems = {problem.column: problem for problem in parsed.rows[1].problems}
    assert set(problems) == {"统一社会信用代码 / credit code", "企业类型 / legal form"}
    assert "18" in problems["统一社会信用代码 / credit code"].en
    assert "有限责任公司" in problems["企业类型 / legal form"].zh


def test_a_code_repeated_in_the_file_is_refused_on_its_later_rows(reference):
    code = credit_code(1)
    content = csv_file([enterprise_row(code, "甲"), enterprise_row(code, "乙")])
    first, second = read_import_file("企业.csv", content).rows
    assert first.problems == []
    [problem] = second.problems
    assert problem.column.startswith("统一社会信用代码")
    assert "第 2 行" in problem.zh and "row 2" in problem.en


def test_a_formula_cell_is_an_error_of_that_cell(reference):
    row = enterprise_row(credit_code(1), "甲科技有限公司")
    row[4] = "=DATE(2019,5,1)"
    [parsed] = read_import_file("企业.xlsx", xlsx_file([row])).rows
    [problem] = parsed.problems
    assert problem.column == "成立日期 / founded on"
    assert "公式" in problem.zh and "formula" in problem.en
    assert "founded_on" not in parsed.values


def _refusal(filename: str, content: bytes) -> str:
    with pytest.raises(Invalid) as refused:
        read_import_file(filename, content)
    assert refused.value.location == "files"
    [message] = refused.value.errors["file"]
    return message


def test_a_file_of_another_type_is_refused(reference):
    assert "CSV 或 XLSX" in _refusal("企业.pdf", b"%PDF-1.7 ...")
    assert "Unsupported file type" in _refusal("企业.xlsx", b"not a zip at all")


def test_an_empty_file_is_refused(reference):
    assert "文件为空" in _refusal("企业.csv", b"")
    assert "The file is empty" in _refusal("企业.csv", b"\n,,\n")


def test_a_header_without_rows_is_refused(reference):
    assert "no rows" in _refusal("企业.csv", csv_file([]))


def test_a_file_without_a_credit_code_column_is_refused(reference):
    message = _refusal("企业.csv", csv_file([["甲"]], header=["企业名称"]))
    assert "统一社会信用代码" in message


def test_a_file_over_the_row_limit_is_refused(reference):
    rows = [[f"row {n}"] for n in range(import_file.MAX_ROWS + 1)]
    message = _refusal("企业.csv", csv_file(rows, header=["统一社会信用代码"]))
    assert f"{import_file.MAX_ROWS + 1:,}" in message and "200,000" in message


def test_merged_header_cells_are_refused(reference):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["企业基本信息", None, *HEADER[2:]])
    sheet.merge_cells("A1:B1")
    sheet.append(enterprise_row(credit_code(1), "甲"))
    out = io.BytesIO()
    workbook.save(out)
    message = _refusal("企业.xlsx", out.getvalue())
    assert "合并单元格" in message and "merged cells" in message
