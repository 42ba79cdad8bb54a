"""One page of a list that belongs to a parent (an account's prices, a contract's accounts), for
every parent of a level in one statement.

A connection on an object would otherwise cost one query per parent: a page of 100 accounts
with their contacts, 101 statements. A `PageLoader` numbers each parent's rows with
`ROW_NUMBER() OVER (PARTITION BY parent ...)` and keeps the rows of the page window, so the
level costs one statement, and one more for the `totalCount`s when they are asked for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, cast

from sqlalchemy import BindParameter, ColumnElement, Select, and_, bindparam, func, select
from sqlalchemy.orm import aliased
from sqlmodel import SQLModel

from core.request_database import RequestDatabase
from loaders.base import KEYS, RowLoader, shared_statement

# The columns a page's statement adds to the rows (looked up by name: `.c._name` would reach
# the column collection's own attributes).
PARENT, POSITION, TOTAL = "page_parent", "page_position", "page_total"
# The bound parameters of a window's numbers.
START, STOP, END, LAST = "window_start", "window_stop", "window_end", "window_last"


@dataclass(frozen=True)
class Window:
    """The positions (0-based, in the list's order) a page may hold: from `start`, before
    `end` when given, and with `last` the final `last` of those; `size` rows at most (one
    more is fetched to tell whether a next page exists)."""

    start: int
    size: int
    end: int | None = None
    last: int | None = None

    @property
    def stop(self) -> int:
        """The first position past the window when it has no `last`."""
        return self.start + self.size + 1

    @property
    def shape(self) -> tuple[bool, bool]:
        """Which bounds the window has: windows of one shape share a statement."""
        return (self.end is not None, self.last is not None)

    @property
    def parameters(self) -> dict[str, int]:
        """The values of `_in_window`'s bound parameters."""
        values = {START: self.start, END: self.end, LAST: self.last, STOP: self.stop}
        return {name: value for name, value in values.items() if value is not None}

    def holds(self, position: int, total: int) -> bool:
        """Whether the window keeps `position` of a list of `total` rows: `_in_window` for a list
        already in memory (a test holds the two to the same answers)."""
        if position < self.start or (self.end is not None and position >= self.end):
            return False
        if self.last is not None:
            return position >= (self.end if self.end is not None else total) - self.last
        return position < self.stop


class PageLoader(RowLoader):
    """Keys are `(parent key, Window)` for a page, the parent's rows in the window as
    `(position, row)`, and `(parent key, None)` for the parent's count.

    A subclass names the rows (`model`), the column of the parent key and the order, as a
    `RowsByKeyLoader` does; one whose parent key is in a joined table (an account's contacts,
    through memberships) overrides `parent` and `source`."""

    model: ClassVar[type[SQLModel]]
    key_column: ClassVar[str]
    order_by: ClassVar[tuple[str, ...]] = ("id",)

    def parent(self) -> Any:
        return getattr(self.model, self.key_column)

    def ordering(self) -> list[Any]:
        return [getattr(self.model, name) for name in self.order_by]

    def source(self, parents: BindParameter[Any]) -> Select[Any]:
        """The rows of `parents` (an expanding parameter): `select(model)` with any joins and
        conditions."""
        return select(self.model).where(self.parent().in_(parents))

    async def batch_load_fn(self, keys: Sequence[tuple[Any, Window | None]]) -> list[Any]:
        by_window: defaultdict[Window | None, list[Any]] = defaultdict(list)
        for parent, window in keys:
            by_window[window].append(parent)
        answers: dict[tuple[Any, Window | None], Any] = {}
        for window, parents in by_window.items():
            if window is None:
                counts = await self.counts(parents)
                answers.update({(p, None): counts.get(p, 0) for p in parents})
            else:
                pages = await self.pages(parents, window)
                answers.update({(p, window): pages.get(p, []) for p in parents})
        return [answers[key] for key in keys]

    async def counts(self, parents: Sequence[Any]) -> dict[Any, int]:
        """Each parent's number of rows (those with none are left out)."""
        statement = shared_statement(self, COUNTS, self._count_statement)
        found = await self.db.execute(statement, {KEYS: list(parents)})
        return dict(cast("Sequence[tuple[Any, int]]", found.all()))

    async def pages(
        self, parents: Sequence[Any], window: Window, columns: Sequence[str] | None = None
    ) -> dict[Any, list[tuple[int, Any]]]:
        """Each parent's rows in `window`, with their positions: ORM rows, or Core rows of only
        `columns` (the planned read path, `schema.plans`)."""
        wanted = tuple(columns) if columns is not None else None
        statement = shared_statement(
            self, (wanted, window.shape), lambda: self._page_statement(window, wanted)
        )
        parameters = {KEYS: list(parents), **window.parameters}
        pages: defaultdict[Any, list[tuple[int, Any]]] = defaultdict(list)
        if wanted is not None:
            for found in await self.db.rows(statement, parameters):
                pages[getattr(found, PARENT)].append((getattr(found, POSITION), found))
            return pages
        found_rows = cast(
            "Sequence[tuple[Any, Any, int]]", (await self.db.execute(statement, parameters)).all()
        )
        for found, parent, position in found_rows:
            pages[parent].append((position, found))
        return pages

    def _count_statement(self) -> Select[Any]:
        listed = self.source(_parents()).add_columns(self.parent().label(PARENT)).subquery()
        return select(listed.c[PARENT], func.count()).group_by(listed.c[PARENT])

    def _page_statement(self, window: Window, columns: tuple[str, ...] | None) -> Select[Any]:
        """The statement of every window of `window`'s shape, its numbers bound parameters."""
        numbered = (
            self.source(_parents())
            .add_columns(
                self.parent().label(PARENT),
                (
                    func.row_number().over(partition_by=self.parent(), order_by=self.ordering()) - 1
                ).label(POSITION),
                func.count().over(partition_by=self.parent()).label(TOTAL),
            )
            .subquery()
        )
        order = (numbered.c[PARENT], numbered.c[POSITION])
        condition = _in_window(numbered.c[POSITION], numbered.c[TOTAL], window)
        if columns is not None:
            wanted = [numbered.c[name] for name in columns]
            return select(*wanted, *order).where(condition).order_by(*order)
        row = aliased(self.model, numbered)
        return select(row, *order).where(condition).order_by(*order)


# The key of the counts' statement among a page loader's shared ones (`shared_statement`); a
# page's is its columns (None: ORM rows) and window shape.
COUNTS = "counts"


def _parents() -> BindParameter[Any]:
    return bindparam(KEYS, expanding=True)


def _in_window(position: Any, total: Any, window: Window) -> ColumnElement[bool]:
    """`Window.holds` in SQL, the window's numbers bound parameters (`Window.parameters`), so
    that one statement serves every window of the same shape."""
    conditions = [position >= bindparam(START, window.start)]
    edge = total
    if window.end is not None:
        edge = bindparam(END, window.end)
        conditions.append(position < edge)
    if window.last is not None:
        conditions.append(position >= edge - bindparam(LAST, window.last))
    else:
        conditions.append(position < bindparam(STOP, window.stop))
    return and_(*conditions)


async def count_of(db: RequestDatabase, statement: Select[Any]) -> int:
    """How many rows `statement` matches (a top-level connection's `totalCount`)."""
    counted = select(func.count()).select_from(statement.order_by(None).subquery())
    return int(await db.scalar(counted) or 0)


async def slice_of(
    db: RequestDatabase, statement: Select[Any], *, start: int, size: int
) -> list[Any]:
    """The rows of `statement` (already filtered and ordered) from position `start`, `size` at
    most (a top-level connection's page)."""
    return list(await db.scalars(statement.offset(start).limit(size)))
