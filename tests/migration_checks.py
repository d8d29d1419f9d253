"""Comparing the tables a migration builds with the models that declare them."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from torchfin.extensions import db


def model_differences(tables: tuple[str, ...]) -> list:
    """What autogenerate finds between the database and the models, for `tables` only (other
    tables' drift is their migrations' business)."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        found = compare_metadata(context, db.metadata)
    return [diff for diff in found if any(f"'{table}'" in repr(diff) for table in tables)]


def table_names() -> set[str]:
    """The tables of the current database."""
    return set(inspect(db.engine).get_table_names())
