"""Registry import files built in the tests: XLSX and CSV from rows of cells."""

import csv
import io

from openpyxl import Workbook

HEADER = ["统一社会信用代码", "企业名称", "所属高新区", "注册地址", "成立日期", "行业", "企业类型"]


def xlsx_file(rows: list[list[object]], header: list[str] = HEADER) -> bytes:
    """An XLSX whose first sheet holds `header` then `rows` (a text starting with "=" is a
    formula, as typing it in Excel makes it)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_file(
    rows: list[list[object]], header: list[str] = HEADER, encoding: str = "utf-8"
) -> bytes:
    """A CSV of `header` then `rows` in `encoding` (utf-8-sig for a BOM, gbk as Chinese Excel)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def enterprise_row(code: str, name: str, zone: str = "zhongguancun", **cells) -> list[object]:
    """A row of `HEADER` for a new enterprise, founded 2019-05-01, an LLC in new-generation IT."""
    return [
        code,
        name,
        zone,
        cells.get("address", "北京市海淀区中关村大街1号"),
        cells.get("founded", "2019-05-01"),
        cells.get("industries", "新一代信息技术"),
        cells.get("legal_form", "有限责任公司"),
    ]
