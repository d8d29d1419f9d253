"""Fixtures of the finance tests: the parties of a guarantee or pool, a writer racing a check."""

import re
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import event

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
