"""Reads that see the database as of one moment, however many statements they take.

A check that reads one table and then another (audit heads, then the events; ledger
transactions, then the payments) must not see a write that commits in between: under
PostgreSQL's READ COMMITTED each statement has its own snapshot, and pysqlite issues no BEGIN
before a SELECT, so each statement on SQLite is its own transaction too. Either way a worker
committing mid-check made an intact audit chain look truncated.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session


@contextmanager
def read_snapshot(engine: Engine) -> Iterator[Session]:
    """Yield a session on its own connection whose reads all share one snapshot.

    It sees only what was committed before its first read; nothing it does is kept.
    """
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        else:
            # In WAL mode an open read transaction keeps the snapshot of its first read.
            connection.exec_driver_sql("BEGIN")
        with Session(bind=connection) as session:
            yield session
        connection.rollback()
