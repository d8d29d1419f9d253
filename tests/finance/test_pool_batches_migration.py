"""Migration 0020 builds the repayment and batch tables as the models declare them, on the
test database (SQLite or PostgreSQL); and on SQLite, downgrading drops them and upgrading again
builds them anew."""

from pathlib import Path

from flask_migrate import downgrade, upgrade

from tests.migration_checks import model_differences, table_names
from torchfin import create_app
from torchfin.extensions import db

BEFORE, MIGRATION = "0019_match_rank_indexes", "0020_pool_batches"
TABLES = ("pool_repayment", "pool_batch", "pool_batch_row")


def test_tables_of_the_test_database_match_the_models(app):
    assert set(TABLES) <= table_names()
    assert model_differences(TABLES) == []


def test_downgrade_drops_the_tables_and_upgrade_builds_them_again(tmp_path: Path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'batches.sqlite3'}"})
    with app.app_context():
        upgrade(revision=MIGRATION)
        assert model_differences(TABLES) == []
        downgrade(revision=BEFORE)
        assert not set(TABLES) & table_names()
        upgrade(revision=MIGRATION)
        assert set(TABLES) <= table_names()
        db.session.remove()
        db.engine.dispose()
