"""Writing many plain rows at once, the fastest way each database offers.

The ORM's unit of work costs tens of microseconds per object, and on PostgreSQL psycopg parses
every multi-row INSERT it is handed in Python; COPY streams rows with neither. Seeding a
national-size registry (a million projects) and storing a rescore's matches go through here.
"""

from collections.abc import Iterable, Sequence

from sqlalchemy import Column, Table, func, insert, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session


def is_postgres(session: Session) -> bool:
    """Whether the session's database is PostgreSQL (COPY and sequences available)."""
    return session.get_bind().dialect.name == "postgresql"


def copy_rows(
    session: Session, table_name: str, columns: Sequence[str], rows: Iterable[Sequence]
) -> None:
    """PostgreSQL COPY of `rows` (values in `columns` order, in their database form) into
    `table_name`, on the session's connection and inside its transaction."""
    cursor = session.connection().connection.dbapi_connection.cursor()
    with cursor, cursor.copy(f"COPY {table_name} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def insert_rows(session: Session, table: Table, rows: Sequence[dict]) -> None:
    """Insert `rows` (dicts of column values, every row with the same keys) into `table`.

    COPY on PostgreSQL, one executemany on SQLite. Columns a row leaves out take their
    Python-side defaults and every value passes its column type's bind processing, as the ORM
    and Core inserts do, so both paths store the same values.
    """
    if not rows:
        return
    if not is_postgres(session):
        session.execute(insert(table), rows)
        return
    given = list(rows[0])
    defaults = {}
    for column in table.columns:
        default = column.default
        if column.name in rows[0] or default is None:
            continue
        if default.is_callable:  # e.g. utcnow: one instant for the batch
            defaults[column.name] = default.arg(None)
        elif default.is_scalar:
            defaults[column.name] = default.arg
    names = [*given, *defaults]
    dialect = session.get_bind().dialect
    processors = [
        table.columns[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    ]
    fixed = [defaults[name] for name in defaults]

    def database_form(row: dict) -> list:
        values = [*(row[name] for name in given), *fixed]
        return [
            value if process is None or value is None else process(value)
            for value, process in zip(values, processors, strict=True)
        ]

    copy_rows(session, table.name, names, (database_form(row) for row in rows))


def insert_new_rows(
    session: Session, table: Table, rows: Sequence[dict], unique: Sequence[str], returning: Column
) -> list:
    """Insert the `rows` whose `unique` columns no row holds yet; return `returning` of those.

    INSERT ... ON CONFLICT DO NOTHING on both databases: a row another transaction inserted
    first (a retried or concurrent job) is skipped, not an error, and is not returned, so the
    caller acts only on what this transaction added.
    """
    if not rows:
        return []
    insert_of = pg_insert if is_postgres(session) else sqlite_insert
    statement = (
        insert_of(table)
        .values(list(rows))
        .on_conflict_do_nothing(index_elements=list(unique))
        .returning(returning)
    )
    return list(session.scalars(statement))


def allocate_ids(session: Session, table: Table, count: int) -> list[int]:
    """`count` fresh ids for `table`, reserved before its rows are written, so that rows of
    other tables can name them in the same batch.

    PostgreSQL draws them from the column's sequence (safe beside other writers); SQLite, whose
    writers take the database lock in turn, continues after the highest id ever given
    (AUTOINCREMENT's counter), which the explicit ids then advance.
    """
    if count <= 0:
        return []
    if is_postgres(session):
        sequence = session.scalar(select(func.pg_get_serial_sequence(table.name, table.c.id.name)))
        drawn = session.execute(
            text("SELECT nextval(:sequence) FROM generate_series(1, :count)"),
            {"sequence": sequence, "count": count},
        )
        return [row[0] for row in drawn]
    highest = session.scalar(select(func.max(table.c.id))) or 0
    counter = session.execute(
        text("SELECT seq FROM sqlite_sequence WHERE name = :name"), {"name": table.name}
    ).scalar()
    start = max(highest, counter or 0) + 1
    return list(range(start, start + count))
