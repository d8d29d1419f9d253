"""The PostgreSQL database a benchmark owns: created when missing, emptied before seeding."""

from sqlalchemy import create_engine, text


def empty_database(url: str) -> None:
    """Create the database of `url` if it does not exist, else drop everything in it.

    Seeding skips a database that already holds enterprises, so a benchmark that did not empty
    its own would measure whatever an earlier run left there, under the sizes it was asked for.
    """
    server, name = url.rsplit("/", 1)
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists.first():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
