"""Exports of the current result set: CSV and Excel parsed back, and financials only where the
caller may read them (an investor without a grant sees 保密; the enterprise itself, figures)."""

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from tests.bad_input import FORMULA_INJECTION
from tests.spreadsheets import assert_inert_csv, assert_inert_xlsx, read_csv, read_xlsx
from torchfin.extensions import db
from torchfin.models import AccessLogEntry
from torchfin.models.enums import Stage

HEADERS = [
    "项目编号",
    "项目名称",
    "企业",
    "高新区",
    "行业",
    "融资阶段",
    "融资方式",
    "融资金额（元）",
]
FINANCIALS = ["财务年度", "营业收入（元）", "净利润（元）", "研发投入（元）"]


def _csv(client, query: str) -> list[list[str]]:
    response = client.get(f"/search/export.csv?{query}")
    assert response.status_code == 200
    assert response.data.startswith("\ufeff".encode())  # Excel reads the BOM as "UTF-8"
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def _published(deal_flow, run_worker) -> tuple[int, int]:
    first = deal_flow.publish("动力电池梯次利用产线", amount="30000000.10", stage=Stage.A)
    second = deal_flow.publish("动力电池热管理系统", amount="12345.67")
    deal_flow.publish("工业机器人减速器", summary="精密减速器")
    run_worker()
    return first, second


def test_csv_export_holds_every_match_with_exact_amounts(deal_flow, run_worker, client, sign_in):
    first, second = _published(deal_flow, run_worker)
    sign_in(deal_flow.investor)

    rows = _csv(client, "q=动力电池&sort=amount_desc&page_size=1&page=2")

    assert rows[0][: len(HEADERS)] == HEADERS
    assert rows[0][-len(FINANCIALS) :] == FINANCIALS
    # The whole result set in the search's order, not the page the searcher was on.
    assert [(r[0], r[1], r[7]) for r in rows[1:]] == [
        (str(first), "动力电池梯次利用产线", "30000000.10"),
        (str(second), "动力电池热管理系统", "12345.67"),
    ]
    assert rows[1][2] == "北京锂享新能源科技有限公司"
    assert rows[1][4] == "动力电池"
    assert rows[1][5] == "A轮"


def test_the_industry_column_names_the_projects_own_industries(
    deal_flow, run_worker, client, sign_in
):
    """The enterprise makes traction batteries (动力电池); its chip project is filed under IT."""
    chips = deal_flow.publish("电池管理芯片设计", industries=["it"])
    batteries = deal_flow.publish("动力电池回收产线")
    run_worker()
    sign_in(deal_flow.investor)

    rows = {int(row[0]): row for row in _csv(client, "sort=newest")[1:]}

    assert rows[chips][4] == "新一代信息技术"
    assert rows[batteries][4] == "动力电池"


def test_an_investor_without_a_grant_gets_no_financials(deal_flow, run_worker, client, sign_in):
    _published(deal_flow, run_worker)
    sign_in(deal_flow.investor)

    rows = _csv(client, "q=动力电池")
    workbook = load_workbook(io.BytesIO(client.get("/search/export.xlsx?q=动力电池").data))

    assert {tuple(r[-4:]) for r in rows[1:]} == {("保密",) * 4}
    sheet_rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert {r[-4:] for r in sheet_rows[1:]} == {("保密",) * 4}
    assert db.session.scalars(select(AccessLogEntry)).all() == []


def test_the_enterprise_itself_gets_its_financials(deal_flow, run_worker, client, sign_in):
    _published(deal_flow, run_worker)
    sign_in(deal_flow.sme)

    rows = _csv(client, "q=动力电池")
    response = client.get("/search/export.xlsx?q=动力电池")
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    header, *data = list(sheet.iter_rows(values_only=True))

    assert {tuple(r[-4:]) for r in rows[1:]} == {
        ("2024", "12345678.90", "1000000.00", "2000000.00")
    }
    assert header[7] == "融资金额（元）"
    assert Decimal(str(data[0][7])) in {Decimal("30000000.10"), Decimal("12345.67")}
    assert sheet.cell(row=2, column=8).number_format == "#,##0.00"
    assert {r[-4:] for r in data} == {(2024, 12345678.9, 1000000, 2000000)}
    assert response.headers["X-Export-Truncated"] == "0"


def test_export_refuses_bad_arguments(deal_flow, client, sign_in):
    sign_in(deal_flow.investor)
    assert client.get("/search/export.csv?amount_min=abc").status_code == 422
    assert client.get("/search/export.csv?kind=enterprise").status_code == 422


def test_formula_like_titles_leave_as_text_and_amounts_as_numbers(
    deal_flow, run_worker, client, sign_in
):
    ids = {deal_flow.publish(title): title for title in FORMULA_INJECTION}
    financial = deal_flow.enterprise.latest_financial
    financial.net_profit = Decimal("-1000000.00")  # a loss: a negative number, not text
    db.session.commit()
    run_worker()
    sign_in(deal_flow.sme)

    rows = read_csv(client.get("/search/export.csv").data)
    sheet = read_xlsx(client.get("/search/export.xlsx").data).worksheets[0]

    by_id = {int(row[0]): row for row in rows[1:]}
    assert set(by_id) == set(ids)
    for project_id, title in ids.items():
        assert_inert_csv(by_id[project_id][1], title)
        assert by_id[project_id][-2] == "-1000000.00"
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    for project_id, title in ids.items():
        assert_inert_xlsx(cells[project_id][1], title)
        assert (cells[project_id][-2].data_type, cells[project_id][-2].value) == ("n", -1000000)
        assert cells[project_id][7].data_type == "n"
