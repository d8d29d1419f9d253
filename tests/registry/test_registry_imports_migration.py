"""Migration 0021 builds the import tables and the registered-address column as the models
declare them, on the test database (SQLite or PostgreSQL); and on SQLite, downgrading drops
them and upgrading again builds them anew."""

from pathlib import Path

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from tests.migration_checks import model_differences, table_names
from torchfin import create_app
from torchfin.extensions import db

BEFORE, MIGRATION = "0020_pool_batches", "0021_registry_imports"
TABLES = ("registry_import", "registry_import_chunk", "enterprise_change")
# The enterprise table's new column is 0021's too (its drift names the column).
CHECKED = (*TABLES, "registered_address")


def _enterprise_columns() -> set[str]:
    return {column["name"] for column in inspect(db.engine).get_columns("enterprise")}


def test_tables_of_the_test_database_match_the_models(app):
    assert set(TABLES) <= table_names()
    assert "registered_address" in _enterprise_columns()
    assert model_differences(CHECKED) == []


def test_downgrade_drops_the_tables_and_upgrade_builds_them_again(tmp_path: Path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'imports.sqlite3'}"})
    with app.app_context():
        upgrade(revision=MIGRATION)
        assert model_differences(CHECKED) == []
        downgrade(revision=BEFORE)
        assert not set(TABLES) & table_names()
        assert "registered_address" not in _enterprise_columns()
        upgrade(revision=MIGRATION)
        assert set(TABLES) <= table_names()
        db.session.remove()
        db.engine.dispose()
