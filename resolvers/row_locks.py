"""Row locks for read-modify-write: a change that reads a row (or the rows under it) and writes
back something computed from what it read must hold the row's lock from the read to the commit,
or two such changes at once both read the old state and one of them is lost.

On PostgreSQL this is `SELECT … FOR UPDATE` (read committed lets the second writer wait, then
read the first one's result). On SQLite writers already take turns for their whole transaction
(`core.sqlite_writers`, `BEGIN IMMEDIATE`), and SQLAlchemy emits no FOR UPDATE there.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, inspect, select

from core.context import Context

Row = TypeVar("Row")
Statement = TypeVar("Statement", bound=Select[Any])


def for_update(statement: Statement) -> Statement:
    """`statement`'s rows locked until the transaction ends and read afresh: an object the
    session (or a loader) already holds is refreshed, so what the caller checks next is what
    the previous writer committed."""
    return statement.with_for_update().execution_options(populate_existing=True)


async def lock_row(context: Context, model: type[Row], key: Any) -> Row | None:
    """Lock the row of `model` with primary key `key` (see `for_update`); None when there is
    no such row."""
    (primary_key,) = inspect(model).primary_key
    row: Row | None = await context.db.scalar(for_update(select(model).where(primary_key == key)))
    return row
