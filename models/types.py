"""Column types shared by the tables."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, ColumnElement, DateTime, Dialect, Index, Numeric, String, bindparam
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.types import TypeDecorator

CENTS = Decimal("0.01")


class Money(TypeDecorator[Decimal]):
    """NUMERIC(14, 2). SQLite has no decimal type, so values are bound as text and re-quantised
    on the way out: money never passes through a float on its way in."""

    impl = Numeric(14, 2)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        value = Decimal(value).quantize(CENTS)
        return str(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(str(value)).quantize(CENTS)


class Percent(Money):
    """A percentage with two decimal places (0.00 to 100.00)."""

    impl = Numeric(5, 2)
    cache_ok = True


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC instants on both databases (SQLite drops the offset on its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def enum_type(enum_class: type[Any]) -> Any:
    """Enums stored as their names in a VARCHAR with a CHECK, identical on SQLite and PostgreSQL."""
    from sqlalchemy import Enum as SAEnum

    return SAEnum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        length=32,
        name=None,  # named by the metadata convention: ck_<table>_<column>
    )


# `Index.info` key: the one database an index exists on.
ONLY_ON = "only_on"


def trigram_index(table: str, column: str) -> Index:
    """PostgreSQL's index for `column ILIKE '%term%'` (pg_trgm, GIN): free-text search reads
    the rows holding the term's trigrams instead of every row. SQLite has no such index and
    gets none (its searches are bounded by `resolvers.search.MAX_SEARCH_LENGTH`)."""
    dialect = "postgresql"
    return Index(
        f"ix_{table}_{column}_trgm",
        column,
        postgresql_using="gin",
        postgresql_ops={column: "gin_trgm_ops"},
        # For Alembic's comparison, which does not read `ddl_if` (migrations/config.py).
        info={ONLY_ON: dialect},
    ).ddl_if(dialect=dialect)


class JsonListHas(ColumnElement[bool]):
    """`column` (a JSON list of strings) holds `value`: `json_each` on SQLite, the jsonb `?`
    operator on PostgreSQL (the JSON columns are `json`, so they are cast)."""

    inherit_cache = True
    type = Boolean()

    def __init__(self, column: Any, value: str) -> None:
        self.column = column
        self.value = bindparam(None, value, type_=String())


@compiles(JsonListHas, "sqlite")
def _json_list_has_sqlite(element: JsonListHas, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    value = compiler.process(element.value, **kw)
    return f"EXISTS (SELECT 1 FROM json_each({column}) WHERE json_each.value = {value})"


@compiles(JsonListHas, "postgresql")
def _json_list_has_postgresql(element: JsonListHas, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    value = compiler.process(element.value, **kw)
    return f"(CAST({column} AS JSONB) ? {value})"
