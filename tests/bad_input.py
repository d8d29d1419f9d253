"""The bad-input corpus the API and form tests send, and the row count that proves nothing was
written."""

from datetime import date, timedelta

from sqlalchemy import func, literal_column, select

from torchfin.extensions import db

LONG_TEXT = "长" * 100_000
CONTROL_CHARACTERS = ["名称\x00截断", "bell\x07ring", "esc\x1b[31mred", "del\x7f"]
# Invisible direction controls that make a name read as another: the override U+202E shows
# "账单\u202efdp.exe" as "账单exe.pdf"; a mark, an isolate pair and the Arabic letter mark.
DIRECTION_CONTROLS = ["账单\u202efdp.exe", "名称\u200f", "\u2066隔离\u2069", "a\u061cb"]
# Cyrillic and Greek look-alikes inside Latin and Han, and right-to-left digits.
MIXED_SCRIPTS = ["Раураl支付科技", "北京Βeijing科技ㄅ٣"]
SQL_INJECTION = ["' OR '1'='1", "1; DROP TABLE enterprise;--", "') UNION SELECT * FROM user--"]
# Elasticsearch query DSL fragments and Lucene syntax, as a search box or a stored field gets them.
ES_INJECTION = [
    '{"match_all":{}}',
    "*:*",
    "*",
    'title:* OR summary:* OR {"query":{"match_all":{}}}',
    "a AND NOT b || c^10 ~2 [* TO *] /.*/ \\",
]
HUGE_AND_NEGATIVE_AMOUNTS = [
    "1e309",
    "99999999999999999999.99",
    "-1.00",
    "1.001",
    "NaN",
    "Infinity",
    10**30,
    -5,
]
# Amounts Decimal() reads that the documented pattern does not allow: an exponent, full-width
# digits, surrounding blanks, and a negative zero (refused where no amount is below zero).
LOOSE_AMOUNTS = ["1e3", "１００", " 100.00 ", "-0"]
IMPOSSIBLE_DATES = ["2025-02-30", "2023-02-29", "2025-13-01", "0000-00-00", "2025-02-30T25:61:00"]
# Real days outside every field's window: the calendar's ends (the day after 9999-12-31 does not
# exist) and the eve of the earliest window (enterprises founded from 1900-01-01 on).
IMPLAUSIBLE_DATES = ["0001-01-01", "1899-12-31", "9999-12-31"]
# Days inside some fields' windows and outside others' (each field documents its own as
# x-earliest and x-years-ahead): before any money moved (2000-01-01), beyond the year ahead of a
# dated event, beyond the 30 years of a maturity.
EDGE_DATES = [
    "1900-01-01",
    "1999-12-31",
    str(date.today() + timedelta(days=2 * 366)),
    f"{date.today().year + 31}-01-01",
]
HUGE_INTEGERS = [10**30, -(10**30)]
# Raw JSON bodies nested far deeper than any schema: arrays and objects, 1,000 and 10,000 deep.
DEEPLY_NESTED_BODIES = [
    body
    for depth in (1_000, 10_000)
    for body in ("[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth)
]
# Record names a spreadsheet would run as formulas (OWASP CSV injection) when exported.
FORMULA_INJECTION = ['=HYPERLINK("http://evil.example","x")', "+1", "-2+3", "@SUM(A1)"]

STRING_VALUES = [
    LONG_TEXT,
    *CONTROL_CHARACTERS,
    *DIRECTION_CONTROLS,
    *MIXED_SCRIPTS,
    *SQL_INJECTION,
    *ES_INJECTION,
]
# What each JSON type is sent instead of itself.
WRONG_TYPES = {
    "string": [12345, True, [], {}],
    "integer": ["abc", 1.5, True, []],
    "number": ["abc", True, []],
    "boolean": ["yes", 1, "true"],
    "array": ["x", {}],
    "object": ["x", []],
}


def count_rows() -> dict[str, int]:
    """The number of rows of every table in the metadata, in one round trip."""
    tables = db.metadata.sorted_tables
    counts = [
        select(func.count()).select_from(table).scalar_subquery().label(table.name)
        for table in tables
    ]
    row = db.session.execute(select(*counts) if counts else select(literal_column("1"))).one()
    db.session.rollback()  # end the read so requests and workers see a fresh snapshot
    return dict(zip((table.name for table in tables), row, strict=True))
