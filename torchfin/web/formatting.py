"""Pure presentation helpers for the pages: money, search highlights, localised names."""

import re
from decimal import ROUND_HALF_UP, Decimal

from markupsafe import Markup, escape

WAN = Decimal(10_000)
YI = Decimal(100_000_000)
_CENT = Decimal("0.01")
_MARK = re.compile(r"(</?mark>)")


def _grouped(value: Decimal, trim: bool) -> str:
    """`value` rounded to fen with thousands separators; `trim` drops a trailing .00 / 0."""
    text = f"{value.quantize(_CENT, rounding=ROUND_HALF_UP):,.2f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_money(amount: Decimal | int | str | None, language: str) -> str:
    """An amount in yuan for display: 万元 / 亿元 in Chinese, full CNY figures in English.

    Chinese readers count large sums in 万 (10^4) and 亿 (10^8); the figure is rounded to two
    decimals of that unit. English shows the exact amount to the fen. Arithmetic stays Decimal.
    """
    if amount is None:
        return "—"
    amount = Decimal(amount)
    if language == "en":
        return f"CNY {_grouped(amount, trim=False)}"
    if abs(amount) >= YI:
        return f"{_grouped(amount / YI, trim=True)}亿元"
    if abs(amount) >= WAN:
        return f"{_grouped(amount / WAN, trim=True)}万元"
    return f"{_grouped(amount, trim=False)}元"


def format_percent(share: Decimal | None) -> str:
    """A share (0.123) as a percentage with one decimal ("12.3%"), or a dash."""
    if share is None:
        return "—"
    return f"{(Decimal(share) * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def safe_highlight(fragment: str) -> Markup:
    """An Elasticsearch highlight fragment made safe for HTML.

    Everything is escaped except the <mark> / </mark> pairs the search layer puts around matched
    words; stray or nested tags are dropped and an open <mark> is closed, so a fragment cut in the
    middle of a match (or text that itself contains "<mark>") cannot unbalance the page.
    """
    parts: list[str] = []
    is_open = False
    for piece in _MARK.split(fragment):
        if piece == "<mark>":
            if not is_open:
                parts.append("<mark>")
                is_open = True
        elif piece == "</mark>":
            if is_open:
                parts.append("</mark>")
                is_open = False
        else:
            parts.append(str(escape(piece)))
    if is_open:
        parts.append("</mark>")
    return Markup("".join(parts))


def localized_name(record: object, language: str) -> str:
    """`name_en` of a zone or industry in English (when filled), otherwise `name_zh`."""
    if record is None:
        return ""
    english = getattr(record, "name_en", None)
    return english if language == "en" and english else record.name_zh
