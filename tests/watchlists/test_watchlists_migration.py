"""Migration 0022 builds the watchlist tables and the notifications' event column as the models
declare them, on the test database (SQLite or PostgreSQL); and on SQLite, downgrading removes
them and upgrading again builds them anew."""

from pathlib import Path

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from tests.migration_checks import model_differences, table_names
from torchfin import create_app
from torchfin.extensions import db

BEFORE, MIGRATION = "0021_registry_imports", "0022_watchlists"
NEW_TABLES = ("follow", "enterprise_event", "event_delivery")
TABLES = (*NEW_TABLES, "notification")


def _notification_columns() -> set[str]:
    return {column["name"] for column in inspect(db.engine).get_columns("notification")}


def test_tables_of_the_test_database_match_the_models(app):
    assert set(NEW_TABLES) <= table_names()
    assert "event_ids" in _notification_columns()
    assert model_differences(TABLES) == []


def test_downgrade_removes_the_tables_and_upgrade_builds_them_again(tmp_path: Path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'watch.sqlite3'}"})
    with app.app_context():
        upgrade(revision=MIGRATION)
        assert model_differences(TABLES) == []
        downgrade(revision=BEFORE)
        assert not set(NEW_TABLES) & table_names()
        assert "event_ids" not in _notification_columns()
        upgrade(revision=MIGRATION)
        assert model_differences(TABLES) == []
        db.session.remove()
        db.engine.dispose()
