"""SQLite settings for several processes at once (web server, RQ worker, scheduler).

Imported by `create_app`; PostgreSQL connections are left alone.

SQLite has no row locks: the `FOR UPDATE` that services put on the row they are about to check
and change compiles to nothing there, and pysqlite issues no BEGIN before a SELECT, so two
requests could both read "contract signed, no payment pending" and both ask for the fee. Here
that same `FOR UPDATE` takes the database's write lock instead (`BEGIN IMMEDIATE`), so on both
databases a service's check-then-act runs alone from its locking read to its commit. Plain reads
keep pysqlite's behaviour: they see the latest commit and never wait for a writer.
"""

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.engine.interfaces import DBAPICursor, ExecutionContext

BUSY_TIMEOUT_MS = 30_000


@event.listens_for(Engine, "connect")
def configure_sqlite(dbapi_connection: object, _record: object) -> None:
    """WAL lets readers run beside a writer, and a writer waits for another instead of failing.

    With the default rollback journal, a progress display polling the database while a worker
    stores thousands of matches fails with "database is locked" after pysqlite's 5 s.
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # SQLite leaves foreign keys unchecked unless each connection asks: no dangling rows.
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


@event.listens_for(Engine, "before_cursor_execute")
def lock_database_for_update(
    conn: Connection,
    cursor: DBAPICursor,
    _statement: str,
    _parameters: object,
    context: ExecutionContext | None,
    _executemany: bool,
) -> None:
    """On SQLite, a `SELECT ... FOR UPDATE` outside a transaction starts one holding the write lock.

    `BEGIN IMMEDIATE` waits (up to the busy timeout) for another writer to commit, then reads
    what it committed; pysqlite then sees the transaction open and adds no BEGIN of its own.
    A connection already in a transaction has written, so it holds the lock already.
    """
    if conn.dialect.name != "sqlite" or context is None or context.compiled is None:
        return
    if getattr(context.compiled.statement, "_for_update_arg", None) is None:
        return
    if not conn.connection.dbapi_connection.in_transaction:
        cursor.execute("BEGIN IMMEDIATE")
