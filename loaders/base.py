"""Two shapes of loader cover most relations: one row by its key, and the rows that share a key.

A subclass names the table and the key column; the base class does the batching. Every batch is
one `IN (...)` query, capped in size (SQLite's bind limit) by the request's settings.

A loader sees the request as a `RequestScope`, which `core.context.Context` satisfies: the
context builds the loaders, so loaders never import it back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar, Generic, Protocol, Self, TypeVar

from aiodataloader import DataLoader
from sqlalchemy import Select, select
from sqlmodel import SQLModel
from starlette.requests import Request

from core.request_database import RequestDatabase
from domain.access import Viewer

Row = TypeVar("Row", bound=SQLModel)
L = TypeVar("L", bound="RowLoader")


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

    def __init__(self, db: RequestDatabase, *, max_batch_size: int) -> None:
        super().__init__(max_batch_size=max_batch_size)
        self.db = db

    @classmethod
    def for_request(cls, scope: RequestScope) -> Self:
        """The request's instance (`Context.loader`); a loader that works through other loaders
        keeps the request's scope too."""
        return cls(scope.db, max_batch_size=scope.settings.loader_max_batch_size)


class RowByKeyLoader(RowLoader, Generic[Row]):
    """One row (or None) per key, e.g. `AccountByIdLoader`."""

    model: ClassVar[type[SQLModel]]
    key_column: ClassVar[str] = "id"

    def statement(self, keys: Sequence[Any]) -> Select[Any]:
        return select(self.model).where(getattr(self.model, self.key_column).in_(keys))

    def key_of(self, row: Any) -> Any:
        return getattr(row, self.key_column)

    async def batch_load_fn(self, keys: Sequence[Any]) -> list[Row | None]:
        rows = await self.db.scalars(self.statement(keys))
        by_key = {self.key_of(row): row for row in rows}
        return [by_key.get(key) for key in keys]


class RowsByKeyLoader(RowLoader, Generic[Row]):
    """Every row sharing a key, e.g. `AddressesByAccountIdLoader`, in `order_by` order."""

    model: ClassVar[type[SQLModel]]
    key_column: ClassVar[str]
    order_by: ClassVar[tuple[str, ...]] = ("id",)

    def statement(self, keys: Sequence[Any]) -> Select[Any]:
        return (
            select(self.model)
            .where(getattr(self.model, self.key_column).in_(keys))
            .order_by(*(getattr(self.model, name) for name in self.order_by))
        )

    def key_of(self, row: Any) -> Any:
        return getattr(row, self.key_column)

    async def batch_load_fn(self, keys: Sequence[Any]) -> list[list[Row]]:
        grouped: defaultdict[Any, list[Row]] = defaultdict(list)
        for row in await self.db.scalars(self.statement(keys)):
            grouped[self.key_of(row)].append(row)
        return [grouped.get(key, []) for key in keys]
