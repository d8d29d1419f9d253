"""SQLite settings for several processes at once (web server, RQ worker, scheduler).

Imported by `create_app`; PostgreSQL connections are left alone.
"""

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine

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
        cursor.close()
