"""Two shapes of loader cover most relations: one row by its key, and the rows that share a key.

A subclass names the table and the key column; the base class does the batching. Every batch is
one `IN (...)` query, capped in size (SQLite's bind limit) by the request's settings.

A loader sees the request as a `RequestScope`, which `core.context.Context` satisfies: the
context builds the loaders, so loaders never import it back.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from datetime import datetime
from typing import Any, ClassVar, Generic, Protocol, Self, TypeVar

from aiodataloader import DataLoader
from sqlalchemy import BindParameter, Select, bindparam, select
from sqlmodel import SQLModel
from starlette.requests import Request

from core.request_database import RequestDatabase
from domain.access import Viewer

Row = TypeVar("Row", bound=SQLModel)
L = TypeVar("L", bound="RowLoader")
# The expanding parameter of a keyed loader's statement.
KEYS = "keys"


class LoaderSettings(Protocol):
    @property
    def loader_max_batch_size(self) -> int:
        """Keys of one batch at the most (SQLite's bind limit)."""
        ...


class RequestScope(Protocol):
    """The request as loaders see it. Read-only, so a `Context` whose fields are subtypes of
    these satisfies it; a loader that works through other loaders keeps its scope."""

    @property
    def db(self) -> RequestDatabase: ...

    @property
    def settings(self) -> LoaderSettings: ...

    @property
    def viewer(self) -> Viewer: ...

    @property
    def request(self) -> Request | None: ...

    @property
    def now(self) -> datetime: ...

    def loader(self, loader_class: type[L]) -> L:
        """The request's instance of `loader_class`."""
        ...


class RowLoader(DataLoader[Any, Any]):
    """Base for every loader: holds the request's database handle."""

    # Whether the loader's statements read the request (`for_request` keeps some of it, e.g.
    # the viewer's visibility): then they are built per request, never shared between requests.
    per_request: ClassVar[bool] = False

    def __init__(self, db: RequestDatabase, *, max_batch_size: int) -> None:
        super().__init__(max_batch_size=max_batch_size)
        self.db = db

    @classmethod
    def for_request(cls, scope: RequestScope) -> Self:
        """The request's instance (`Context.loader`); a loader that works through other loaders
        keeps the request's scope too."""
        return cls(scope.db, max_batch_size=scope.settings.loader_max_batch_size)


class KeyedLoader(RowLoader):
    """Rows found by a key column: one statement a batch, the keys its expanding parameter.

    The statement is built once per loader class (and set of columns), not per batch: building a
    statement and its cache key cost more than a small read (≈0.3 ms). A loader that sets
    `columns` is read-only and answers Core rows of only those columns (and its key), which cost
    a tenth of an ORM object each: the pricing pass reads a hundred price rows a page."""

    model: ClassVar[type[SQLModel]]
    key_column: ClassVar[str] = "id"
    order_by: ClassVar[tuple[str, ...]] = ()
    columns: ClassVar[frozenset[str] | None] = None

    @property
    def key_columns(self) -> tuple[str, ...]:
        return (self.key_column,)

    def statement(self) -> Select[Any]:
        """The batch's statement, its keys the expanding parameter `KEYS` (`parameters`)."""
        keys: BindParameter[Any] = bindparam(KEYS, expanding=True)
        return (
            select(self.model)
            .where(getattr(self.model, self.key_column).in_(keys))
            .order_by(*(getattr(self.model, name) for name in self.order_by))
        )

    def parameters(self, keys: Sequence[Any]) -> dict[str, Any]:
        return {KEYS: list(keys)}

    def key_of(self, row: Any) -> Any:
        return getattr(row, self.key_column)

    def column(self, name: str) -> Any:
        """The column a Core row's attribute `name` is read from."""
        return getattr(self.model, name)

    async def found(
        self, keys: Sequence[Any], columns: frozenset[str] | None = None
    ) -> dict[Any, list[Any]]:
        """The rows of `keys` by key, in batches of the loader's size: ORM objects, or Core rows
        of only `columns` (default: the loader's own `columns`) and the key."""
        columns = columns if columns is not None else self.columns
        statement = shared_statement(self, columns, lambda: self._statement_of(columns))
        distinct = list(dict.fromkeys(key for key in keys if key is not None))
        size = self.max_batch_size or len(distinct) or 1
        grouped: dict[Any, list[Any]] = {}
        for start in range(0, len(distinct), size):
            parameters = self.parameters(distinct[start : start + size])
            rows = await (
                self.db.scalars(statement, parameters)
                if columns is None
                else self.db.rows(statement, parameters)
            )
            for row in rows:
                grouped.setdefault(self.key_of(row), []).append(row)
        return grouped

    def _statement_of(self, columns: frozenset[str] | None) -> Select[Any]:
        statement = self.statement()
        if columns is None:
            return statement
        wanted = sorted(columns | set(self.key_columns))
        return statement.with_only_columns(*(self.column(name) for name in wanted))


# Loader statements built once and shared by every request, by loader class and what varies
# them (a keyed loader's columns, a page's columns and window shape): a bounded set (the
# planner's column sets), capped all the same.
MAX_SHARED_STATEMENTS = 4000
_SHARED_STATEMENTS: dict[tuple[type[Any], Hashable], Select[Any]] = {}


def shared_statement(
    loader: RowLoader, key: Hashable, build: Callable[[], Select[Any]]
) -> Select[Any]:
    """`build()`'s statement for `loader` and `key`, built once and shared by every request;
    built every time for a loader whose statements read the request (`per_request`)."""
    if loader.per_request:
        return build()
    statement = _SHARED_STATEMENTS.get((type(loader), key))
    if statement is None:
        statement = build()
        if len(_SHARED_STATEMENTS) < MAX_SHARED_STATEMENTS:
            _SHARED_STATEMENTS[type(loader), key] = statement
    return statement


class RowByKeyLoader(KeyedLoader, Generic[Row]):
    """One row (or None) per key, e.g. `AccountByIdLoader`."""

    async def batch_load_fn(self, keys: Sequence[Any]) -> list[Row | None]:
        found = await self.found(keys)
        return [found[key][0] if key in found else None for key in keys]


class RowsByKeyLoader(KeyedLoader, Generic[Row]):
    """Every row sharing a key, e.g. `AddressesByAccountIdLoader`, in `order_by` order."""

    order_by: ClassVar[tuple[str, ...]] = ("id",)

    async def batch_load_fn(self, keys: Sequence[Any]) -> list[list[Row]]:
        found = await self.found(keys)
        return [found.get(key, []) for key in keys]
