"""One cell of an import file as a value, or a reason in Chinese and English why not.

Each reader takes the raw cell (text from CSV; text, a number or a date from XLSX) and returns
the value or raises `BadCell`. Government spreadsheets type codes in full-width characters and
dates in every form (2019-05-01, 2019/5/1, 2019年5月1日, 20190501, or a date cell Excel keeps as a
serial number), so each is folded to one form before it is judged.
"""

import re
from datetime import date, datetime, timedelta

from schemas.credit_code import find_problems
from torchfin.models.enums import LegalForm
from torchfin.services.registry.imports.columns import fold

# Excel counts days from 1899-12-30 (its 1900 leap-year bug folded in).
EXCEL_EPOCH = date(1899, 12, 30)
# Serials of plausible dates only: 1900-01-01 to 2199-12-31; other numbers are not dates.
_SERIALS = range(2, 109574)
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_LEGAL_FORMS = {
    "有限责任公司": LegalForm.LLC,
    "有限公司": LegalForm.LLC,
    "llc": LegalForm.LLC,
    "limited liability company": LegalForm.LLC,
    "股份有限公司": LegalForm.JSC,
    "股份公司": LegalForm.JSC,
    "jsc": LegalForm.JSC,
    "joint stock company": LegalForm.JSC,
    "joint-stock company": LegalForm.JSC,
}
INTEGER_LIMIT = 2**31 - 1


class BadCell(ValueError):
    """A cell that cannot be read: `zh` and `en` say why."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def text(cell: object) -> str:
    """A cell as text, folded to half-width and stripped; a whole XLSX number loses its ".0"."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return fold(str(cell)).strip()


def limited_text(cell: object, limit: int) -> str:
    """A text cell of at most `limit` characters."""
    value = text(cell)
    if len(value) > limit:
        raise BadCell(f"超过 {limit} 个字符", f"longer than {limit} characters")
    return value


def credit_code(cell: object) -> str:
    """A unified social credit code, folded (full-width, lower case, spaces), and checked."""
    code = re.sub(r"\s+", "", text(cell)).upper()
    if not code:
        raise BadCell("不能为空", "must not be empty")
    problems = find_problems(code)
    if problems:
        detail = "; ".join(f"{problem.check}: {problem.message}" for problem in problems)
        raise BadCell(f"统一社会信用代码校验失败（{detail}）", f"fails its checks ({detail})")
    return code


def day(cell: object) -> date:
    """A date: an XLSX date, an Excel serial number, or text in a usual Chinese form."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if float(cell).is_integer() and int(cell) in _SERIALS:
            return EXCEL_EPOCH + timedelta(days=int(cell))
        raise BadCell("不是日期", f"{cell} is not a date")
    value = text(cell)
    match = _DATE_TEXT.fullmatch(value) or _COMPACT_DATE.fullmatch(value)
    if match is None and value.isdigit() and int(value) in _SERIALS:
        return EXCEL_EPOCH + timedelta(days=int(value))
    if match is None:
        raise BadCell(
            f"“{value}”不是日期（如 2019-05-01、2019年5月1日）",
            f"{value!r} is not a date (e.g. 2019-05-01)",
        )
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError as exc:
        raise BadCell(f"“{value}”不是有效日期", f"{value!r} is not a valid date") from exc


def count(cell: object) -> int:
    """A whole number of zero or more (people, patents)."""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    value = text(cell).replace(",", "")
    if not value.isdigit() or int(value) > INTEGER_LIMIT:
        raise BadCell(f"“{value}”不是非负整数", f"{value!r} is not a whole number of 0 or more")
    return int(value)


def legal_form(cell: object) -> LegalForm:
    """有限责任公司 or 股份有限公司 (or their short and English names)."""
    value = text(cell)
    form = _LEGAL_FORMS.get(value.lower())
    if form is None:
        raise BadCell(
            f"“{value}”应为 有限责任公司 或 股份有限公司",
            f"{value!r} must be 有限责任公司 (LLC) or 股份有限公司 (JSC)",
        )
    return form


def parts(cell: object) -> list[str]:
    """A cell listing several values (industries), split on the usual separators."""
    return [part.strip() for part in re.split(r"[,;、，；/|]+", text(cell)) if part.strip()]
