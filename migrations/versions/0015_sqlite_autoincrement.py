"""ids never reused on SQLite: every table's integer id becomes AUTOINCREMENT

SQLite gives a new row the largest id in its table plus one, so once the newest enterprise was
deleted the next one registered got its id again, and rows still naming the deleted enterprise
(a fund's placement) named the newcomer. With AUTOINCREMENT SQLite remembers the largest id ever
used (in sqlite_sequence), as PostgreSQL's sequences do; there this migration changes nothing.

SQLite cannot ALTER a primary key: each table is rebuilt in batch mode (copied, dropped, renamed
back) with foreign-key enforcement off meanwhile (migrations/env.py). Ids that rows still name
although their record is gone (left by deletions before foreign keys were enforced) are marked
used as well, so no new record inherits those rows.

Reflection does not carry AUTOINCREMENT over: a later migration that rebuilds one of these tables
in batch mode passes table_kwargs={"sqlite_autoincrement": True} (a test checks every table).

Revision ID: 0015_sqlite_autoincrement
Revises: 0014_session_generation
Create Date: 2026-12-05 14:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015_sqlite_autoincrement"
down_revision = "0014_session_generation"
branch_labels = None
depends_on = None


def _tables_with_integer_ids(inspector: sa.Inspector) -> list[str]:
    """Tables whose key is one integer column of their own (not a reference to another row)."""
    names = []
    for name in inspector.get_table_names():
        key = inspector.get_pk_constraint(name)["constrained_columns"]
        types = {column["name"]: column["type"] for column in inspector.get_columns(name)}
        foreign = inspector.get_foreign_keys(name)
        referring = {column for fk in foreign for column in fk["constrained_columns"]}
        if len(key) == 1 and isinstance(types[key[0]], sa.Integer) and key[0] not in referring:
            names.append(name)
    return names


def _rebuild(names: list[str], autoincrement: bool) -> None:
    for name in names:
        with op.batch_alter_table(
            name, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def _mark_dangling_ids_used(inspector: sa.Inspector, parents: list[str]) -> None:
    """Raise the last used id of each of `parents` to the largest id any row refers to in it."""
    for child in inspector.get_table_names():
        for fk in inspector.get_foreign_keys(child):
            parent, (column,) = fk["referred_table"], fk["constrained_columns"]
            if parent not in parents:
                continue
            op.execute(
                sa.text(
                    "INSERT INTO sqlite_sequence (name, seq) SELECT :parent, 0 WHERE NOT EXISTS "
                    "(SELECT 1 FROM sqlite_sequence WHERE name = :parent)"
                ).bindparams(parent=parent)
            )
            op.execute(
                sa.text(
                    f'UPDATE sqlite_sequence SET seq = MAX(seq, (SELECT COALESCE(MAX("{column}"), '
                    f'0) FROM "{child}")) WHERE name = :parent'
                ).bindparams(parent=parent)
            )


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL's sequences never hand out an id twice
    tables = _tables_with_integer_ids(sa.inspect(op.get_bind()))
    _rebuild(tables, autoincrement=True)
    _mark_dangling_ids_used(sa.inspect(op.get_bind()), tables)


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    _rebuild(_tables_with_integer_ids(sa.inspect(op.get_bind())), autoincrement=False)
