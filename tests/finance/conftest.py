"""Fixtures of the finance tests: the parties of a guarantee or pool, a writer racing a check."""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, make_url, text

from tests.factories.finance import Parties, make_parties
from torchfin.extensions import db


@pytest.fixture
def parties(app) -> Parties:
    """A zone, an enterprise, a bank, a guarantee agency and their users."""
    return make_parties()


@pytest.fixture(autouse=True)
def _clean_sandbox(sandbox):
    """Every finance test starts and ends with an empty sandbox gateway (tests/conftest.py)."""
    return sandbox


@pytest.fixture
def commit_during() -> Iterator[Callable[[str, Callable[[], None]], None]]:
    """Arrange for `write` to commit just before the first statement that reads `table`.

    It stands for a worker committing while a whole-database check is halfway through.
    """
    listeners = []

    def arrange(table: str, write: Callable[[], None]) -> None:
        reads_table = re.compile(rf"\bFROM {table}\b")
        pending = [write]

        def before_cursor_execute(_conn, _cursor, statement: str, *_args: object) -> None:
            if (
                pending
                and statement.lstrip().startswith("SELECT")
                and reads_table.search(statement)
            ):
                pending.pop()()

        event.listen(db.engine, "before_cursor_execute", before_cursor_execute)
        listeners.append(before_cursor_execute)

    yield arrange
    for listener in listeners:
        event.remove(db.engine, "before_cursor_execute", listener)


@pytest.fixture
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of the test run's kind for a migration test: a SQLite file, or a
    PostgreSQL database of the test module's own next to the test database (dropped after)."""
    url = make_url(os.environ["DATABASE_URL"])
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    fresh = url.set(database=f"{url.database}_{request.module.__name__.rsplit('.', 1)[-1]}")
    maintenance = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with maintenance.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{fresh.database}"'))
        connection.execute(text(f'CREATE DATABASE "{fresh.database}"'))
    yield fresh.render_as_string(hide_password=False)
    with maintenance.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{fresh.database}"'))
    maintenance.dispose()
