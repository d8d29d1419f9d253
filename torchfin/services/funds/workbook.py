"""The quarterly report of a guidance fund as an Excel workbook (openpyxl).

Amounts are written as numbers with a yuan format and shares as percentages, so the sheet can be
summed and charted; headers are bilingual because the file leaves the platform.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from torchfin.services.funds.report import QuarterlyReport
from torchfin.services.spreadsheet_cells import append_safe_row

YUAN = "#,##0.00"
PERCENT = "0.00%"
RATIO = "0.00"


def _header(sheet: Worksheet, titles: list[str]) -> None:
    for cell in append_safe_row(sheet, titles):
        cell.font = Font(bold=True)


def _row(sheet: Worksheet, values: list, formats: list[str | None]) -> None:
    # openpyxl writes Decimal values as their decimal text; Excel reads them as numbers.
    for cell, number_format in zip(append_safe_row(sheet, values), formats, strict=True):
        if number_format:
            cell.number_format = number_format


def report_workbook(report: QuarterlyReport) -> bytes:
    """The report as .xlsx bytes: a summary sheet, one row per sub-fund, the quarter's activity."""
    book = Workbook()
    summary = book.active
    summary.title = "概览 Summary"
    append_safe_row(summary, [f"{report.guidance_fund} {report.label}"])
    summary["A1"].font = Font(bold=True, size=14)
    append_safe_row(summary, [f"截至 As of {report.ends.isoformat()}"])
    t = report.totals
    for label, value, fmt in (
        ("子基金数 Sub-funds", t.sub_funds, None),
        ("子基金总规模 Total size (CNY)", t.size, YUAN),
        ("引导基金认缴 Guidance commitment (CNY)", t.guidance_commitment, YUAN),
        ("放大倍数 Leverage", t.leverage, RATIO),
        ("已实缴 Called (CNY)", t.called, YUAN),
        ("已投资 Deployed (CNY)", t.deployed, YUAN),
        ("投资进度 Deployed share", t.deployed_share, PERCENT),
        ("闲置资金 Idle money (CNY)", t.idle, YUAN),
        ("区内返投 Reinvested in zone (CNY)", t.reinvested, YUAN),
        ("退出回收 Exit proceeds (CNY)", t.proceeds, YUAN),
        ("违规项 Breached rules", t.breached_rules, None),
    ):
        _row(summary, [label, value], [None, fmt])
    summary.column_dimensions["A"].width = 40
    summary.column_dimensions["B"].width = 22

    subs = book.create_sheet("子基金 Sub-funds")
    _header(
        subs,
        [
            "子基金 Sub-fund",
            "规模 Size",
            "引导基金 Guidance",
            "放大倍数 Leverage",
            "已实缴 Called",
            "已投资 Deployed",
            "投资进度 Deployed share",
            "闲置 Idle",
            "闲置月数 Idle months",
            "返投倍数 Reinvestment",
            "初创期占比 Early-stage share",
        ]
        + [f"规则 {r.code}" for r in (report.sub_funds[0].rules if report.sub_funds else [])],
    )
    for f in report.sub_funds:
        _row(
            subs,
            [
                f.name,
                f.size,
                f.guidance_commitment,
                f.leverage,
                f.called,
                f.deployed,
                f.deployed_share,
                f.idle,
                f.idle_months,
                f.reinvestment_achieved,
                f.early_stage_share,
            ]
            + [r.status.value for r in f.rules],
            [None, YUAN, YUAN, RATIO, YUAN, YUAN, PERCENT, YUAN, None, RATIO, PERCENT]
            + [None] * len(f.rules),
        )

    activity = book.create_sheet("本季 Activity")
    _header(
        activity, ["类型 Kind", "子基金 Sub-fund", "日期 Date", "金额 Amount", "企业 Enterprise"]
    )
    for a in report.activity:
        _row(
            activity,
            [a.kind, a.sub_fund, a.on, a.amount, a.counterparty],
            [None, None, "yyyy-mm-dd", YUAN, None],
        )

    alerts = book.create_sheet("预警 Alerts")
    _header(alerts, ["子基金 Sub-fund id", "类型 Code", "内容", "Message", "发出 Raised"])
    for alert in report.alerts:
        append_safe_row(
            alerts,
            [
                alert.sub_fund_id,
                alert.code,
                alert.message.zh,
                alert.message.en,
                alert.raised_at.replace(tzinfo=None),
            ],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
