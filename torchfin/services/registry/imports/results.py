"""The result file of an import: the file's own columns, then each row's status and message."""

import io
from collections.abc import Iterable

from openpyxl import Workbook

from torchfin.services.registry.imports.import_file import ImportFile
from torchfin.services.registry.imports.plans import Outcome
from torchfin.services.spreadsheet_cells import safe_write_only_row
from torchfin.services.uploaded_tables import Formula

STATUS_HEADER, MESSAGE_HEADER = "状态 status", "信息 message"
STATUS_NAMES = {
    "created": "新建 created",
    "updated": "更新 updated",
    "unchanged": "无变化 unchanged",
    "failed": "错误 failed",
}


def result_xlsx(parsed: ImportFile, outcomes: Iterable[Outcome]) -> bytes:
    """An XLSX of every data row as the file had it, with its status and message after it."""
    by_row = {outcome.row_no: outcome for outcome in outcomes}
    width = len(parsed.header)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("结果 results")
    sheet.freeze_panes = "A2"
    sheet.append(safe_write_only_row(sheet, [*parsed.header, STATUS_HEADER, MESSAGE_HEADER]))
    for row in parsed.rows:
        cells = [_shown(cell) for cell in row.raw[:width]]
        cells += [None] * (width - len(cells))
        outcome = by_row.get(row.row_no)
        status = STATUS_NAMES[outcome.status] if outcome else ""
        sheet.append(
            safe_write_only_row(sheet, [*cells, status, outcome.message if outcome else ""])
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _shown(cell: object) -> object:
    # A formula is given back as its text, never as a formula to run.
    return cell.text if isinstance(cell, Formula) else cell
