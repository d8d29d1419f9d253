"""Downloads of the current search result set: CSV (UTF-8 with BOM, for Excel) and XLSX."""

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

from flask import Response, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from marshmallow import ValidationError
from openpyxl import Workbook

from schemas.search import SearchArgsSchema
from torchfin.services.deal_flow.exports import MAX_ROWS, Export, ExportRow, export_projects
from torchfin.services.spreadsheet_cells import append_safe_row, safe_cell
from torchfin.web import web
from torchfin.web.context import render_error
from torchfin.web.deal_flow import error_messages, parse_search_args
from torchfin.web.labels import label
from torchfin.web.session_user import session_user

search_args_schema = SearchArgsSchema()

# (header, value of a row): money stays Decimal, CSV writes it as the exact decimal string.
COLUMNS: list[tuple[object, Callable[[ExportRow], object]]] = [
    (_l("项目编号"), lambda r: r.project_id),
    (_l("项目名称"), lambda r: r.title),
    (_l("企业"), lambda r: r.enterprise),
    (_l("高新区"), lambda r: r.zone),
    (_l("行业"), lambda r: "、".join(r.industries)),
    (_l("融资阶段"), lambda r: label("stage", r.stage)),
    (_l("融资方式"), lambda r: label("instrument", r.instrument)),
    (_l("融资金额（元）"), lambda r: r.amount_sought),
    (_l("截止日期"), lambda r: r.deadline),
    (_l("发布时间（UTC）"), lambda r: r.published_at),
]
# Confidential columns: filled only where the caller may read the enterprise's financials.
FINANCIAL_COLUMNS: list[tuple[object, Callable[[ExportRow], object]]] = [
    (_l("财务年度"), lambda r: r.financial_year),
    (_l("营业收入（元）"), lambda r: r.revenue),
    (_l("净利润（元）"), lambda r: r.net_profit),
    (_l("研发投入（元）"), lambda r: r.rd_spend),
]
MONEY_FORMAT = "#,##0.00"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _values(row: ExportRow) -> list:
    """A row's cells in column order; withheld financials read 保密 (confidential)."""
    public = [value(row) for _header, value in COLUMNS]
    if not row.financials_visible:
        return public + [_("保密")] * len(FINANCIAL_COLUMNS)
    return public + [value(row) for _header, value in FINANCIAL_COLUMNS]


def _headers() -> list[str]:
    return [str(header) for header, _value in COLUMNS + FINANCIAL_COLUMNS]


def _truncation_note() -> str:
    return _(
        "结果超过 %(limit)s 条，仅导出前 %(limit)s 条；请增加筛选条件。", limit=f"{MAX_ROWS:,}"
    )


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    return str(safe_cell(value))  # Decimal: the exact amount, e.g. 30000000.00


def to_csv(export: Export) -> bytes:
    """The export as CSV; the BOM tells Excel the file is UTF-8 (else Chinese turns to noise)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_headers())
    for row in export.rows:
        writer.writerow([_csv_cell(v) for v in _values(row)])
    if export.truncated:
        writer.writerow([_truncation_note()])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def _xlsx_cell(value: object) -> object:
    # Excel has no time zones: timestamps are written as naive UTC (the header says so).
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def to_xlsx(export: Export) -> bytes:
    """The export as an Excel workbook: money as numeric cells formatted to the fen."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("融资项目")
    append_safe_row(sheet, _headers())
    for row in export.rows:
        append_safe_row(sheet, [_xlsx_cell(v) for v in _values(row)])
    # Every Decimal is an amount in yuan: show it to the fen.
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, Decimal):
                cell.number_format = MONEY_FORMAT
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(_("说明"))
    append_safe_row(notes, [_("导出时间（UTC）"), datetime.now(UTC).replace(tzinfo=None)])
    append_safe_row(notes, [_("查询条件"), request.query_string.decode()])
    append_safe_row(notes, [_("行数"), len(export.rows)])
    if export.truncated:
        append_safe_row(notes, [_("注意"), _truncation_note()])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _export(render: Callable[[Export], bytes], mimetype: str, extension: str):
    raw = parse_search_args(request.args)
    raw.pop("cursor", None)  # the whole result set, not what follows one page
    try:
        args = search_args_schema.load(raw)
    except ValidationError as exc:
        messages = "; ".join(f"{name} {text}" for name, text in error_messages(exc.messages))
        return render_error(422, messages)
    export = export_projects(session_user(), args)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    response = Response(render(export), mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="torchfin-projects-{stamp}.{extension}"'
    )
    response.headers["X-Export-Truncated"] = "1" if export.truncated else "0"
    return response


@web.get("/search/export.csv")
@login_required
def export_csv():
    """The current result set as CSV (financials only where access was granted)."""
    return _export(to_csv, "text/csv; charset=utf-8", "csv")


@web.get("/search/export.xlsx")
@login_required
def export_xlsx():
    """The current result set as an Excel workbook (financials only where access was granted)."""
    return _export(to_xlsx, XLSX_TYPE, "xlsx")
