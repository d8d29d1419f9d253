"""A dashboard table (column keys and rows of plain values) and the rounding of its sums."""

from dataclasses import dataclass
from decimal import Decimal

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Table:
    """A dashboard table: column keys and rows of values (codes, counts, Decimal yuan)."""

    key: str
    columns: tuple[str, ...]
    rows: list[tuple]


def yuan(value) -> Decimal:
    """A sum read from SQL as exact yuan.

    SQLite sums NUMERIC as floating point; rounding back to the fen makes the figure exact.
    """
    return Decimal(str(value or 0)).quantize(_CENT)
