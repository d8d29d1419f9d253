"""Migration 0020 builds the repayment and batch tables as the models declare them, on the
test database (SQLite or PostgreSQL); and on SQLite, downgrading drops them and upgrading again
builds them anew."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from torchfin import create_app
from torchfin.extensions import db

BEFORE, MIGRATION = "0019_match_rank_indexes", "0020_pool_batches"
TABLES = ("pool_repayment", "pool_batch", "pool_batch_row")


def _differences() -> list:
    # Only what concerns the tables of 0020: other tables' drift is their migrations' business.
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        found = compare_metadata(context, db.metadata)
    return [diff for diff in found if any(f"'{table}'" in repr(diff) for table in TABLES)]


def _tables() -> set[str]:
    return set(inspect(db.engine).get_table_names())


def test_tables_of_the_test_database_match_the_models(app):
    assert set(TABLES) <= _tables()
    assert _differences() == []


def test_downgrade_drops_the_tables_and_upgrade_builds_them_again(tmp_path: Path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'batches.sqlite3'}"})
    with app.app_context():
        upgrade(revision=MIGRATION)
        assert _differences() == []
        downgrade(revision=BEFORE)
        assert not set(TABLES) & _tables()
        upgrade(revision=MIGRATION)
        assert set(TABLES) <= _tables()
        db.session.remove()
        db.engine.dispose()
