"""Migration 0021 builds the import tables and the registered-address column as the models
declare them, on the test database (SQLite or PostgreSQL); and on SQLite, downgrading drops
them and upgrading again builds them anew."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from torchfin import create_app
from torchfin.extensions import db

BEFORE, MIGRATION = "0020_pool_batches", "0021_registry_imports"
TABLES = ("registry_import", "registry_import_chunk", "enterprise_change")


def _differences() -> list:
    # Only what concerns 0021: other tables' drift is their migrations' business.
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        found = compare_metadata(context, db.metadata)
    return [
        diff
        for diff in found
        if any(f"'{name}'" in repr(diff) for name in (*TABLES, "registered_address"))
    ]


def _tables() -> set[str]:
    return set(inspect(db.engine).get_table_names())


def _enterprise_columns() -> set[str]:
    return {column["name"] for column in inspect(db.engine).get_columns("enterprise")}


def test_tables_of_the_test_database_match_the_models(app):
    assert set(TABLES) <= _tables()
    assert "registered_address" in _enterprise_columns()
    assert _differences() == []


def test_downgrade_drops_the_tables_and_upgrade_builds_them_again(tmp_path: Path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'imports.sqlite3'}"})
    with app.app_context():
        upgrade(revision=MIGRATION)
        assert _differences() == []
        downgrade(revision=BEFORE)
        assert not set(TABLES) & _tables()
        assert "registered_address" not in _enterprise_columns()
        upgrade(revision=MIGRATION)
        assert set(TABLES) <= _tables()
        db.session.remove()
        db.engine.dispose()
