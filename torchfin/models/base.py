"""Declarative base and column helpers shared by every model."""

from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import DateTime, Enum, MetaData, Numeric, Table
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry
from sqlalchemy.types import TypeDecorator

# Stable constraint names so Alembic migrations are identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Money = Numeric(18, 2)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp on every database.

    SQLite stores no offset and hands back naive values; they were written in UTC, so they are
    read back as UTC and every datetime the models hold is aware.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: store timezone-aware UTC values")
        return value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def enum_column(enum_cls: type[StrEnum], length: int = 20, **kwargs):
    """A column holding an enum by its value as a short string (portable, no native ENUM type)."""
    return mapped_column(
        Enum(
            enum_cls,
            native_enum=False,
            length=length,
            values_callable=lambda members: [m.value for m in members],
            validate_strings=True,
        ),
        **kwargs,
    )


def utcnow() -> datetime:
    """Timezone-aware current time in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Base class of all models."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING),
        type_annotation_map={Decimal: Money, datetime: UTCDateTime()},
    )

    @classmethod
    def __table_cls__(cls, *args, **kwargs) -> Table:
        """Every model's table, its integer id AUTOINCREMENT on SQLite.

        Without it SQLite hands out the largest id again once that row is deleted, and rows that
        still named the deleted record (a fund's placement) silently named the new one; with it
        ids are never reused, as PostgreSQL's sequences never reuse them.
        """
        return Table(*args, sqlite_autoincrement=True, **kwargs)


class Timestamped:
    """Created/updated timestamps."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Indexed:
    """A record projected into Elasticsearch.

    `doc_version` grows by one with every change that alters the search document (including
    changes to related records); it is the external version of the document, so a late
    stale write can never overwrite a newer one.
    """

    doc_version: Mapped[int] = mapped_column(default=1)
