"""The bad-input corpus the API and form tests send, and the row count that proves nothing was
written."""

from sqlalchemy import func, literal_column, select

from torchfin.extensions import db

LONG_TEXT = "长" * 100_000
CONTROL_CHARACTERS = ["名称\x00截断", "bell\x07ring", "esc\x1b[31mred", "del\x7f"]
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
IMPOSSIBLE_DATES = ["2025-02-30", "2023-02-29", "2025-13-01", "0000-00-00", "2025-02-30T25:61:00"]
HUGE_INTEGERS = [10**30, -(10**30)]

STRING_VALUES = [LONG_TEXT, *CONTROL_CHARACTERS, *MIXED_SCRIPTS, *SQL_INJECTION, *ES_INJECTION]
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
