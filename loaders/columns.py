"""Reads of only the columns a caller needs, as Core rows: the planned read path's statements
(`schema.plans`), built from the same loaders and statements the generic path runs.

Building a statement and its cache key costs more than a small read (≈0.3 ms), so a loader's
keyed statement is built once per loader and set of columns, its keys one expanding parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam
from sqlmodel import SQLModel

from core.request_database import RequestDatabase
from loaders.base import RowByKeyLoader, RowsByKeyLoader

KEYS = "keys"
# Loaders times the column sets plans ask of them: a bounded set, capped all the same.
MAX_KEYED_STATEMENTS = 2000
_KEYED_STATEMENTS: dict[tuple[type[Any], frozenset[str]], Select[Any]] = {}


def columns_of(model: type[SQLModel], names: frozenset[str]) -> list[Any]:
    return [getattr(model, name) for name in sorted(names)]


async def rows_by_key(
    loader: RowByKeyLoader[Any] | RowsByKeyLoader[Any],
    keys: Sequence[Any],
    columns: frozenset[str],
) -> dict[Any, list[Any]]:
    """The rows `loader`'s own statement finds for `keys` (in batches of its size), with only
    `columns` (and the key), by key."""
    key_column = loader.key_column
    statement = _keyed_statement(loader, columns | {key_column})
    distinct = list(dict.fromkeys(key for key in keys if key is not None))
    grouped: dict[Any, list[Any]] = {}
    size = loader.max_batch_size or len(distinct) or 1
    for start in range(0, len(distinct), size):
        chunk = distinct[start : start + size]
        for row in await loader.db.rows(statement, {KEYS: chunk}):
            grouped.setdefault(getattr(row, key_column), []).append(row)
    return grouped


def _keyed_statement(
    loader: RowByKeyLoader[Any] | RowsByKeyLoader[Any], columns: frozenset[str]
) -> Select[Any]:
    key = (type(loader), columns)
    statement = _KEYED_STATEMENTS.get(key)
    if statement is None:
        keys: BindParameter[Any] = bindparam(KEYS, expanding=True)
        statement = loader.statement(keys).with_only_columns(  # type: ignore[arg-type]
            *columns_of(loader.model, columns)
        )
        if len(_KEYED_STATEMENTS) < MAX_KEYED_STATEMENTS:
            _KEYED_STATEMENTS[key] = statement
    return statement


async def window_rows(
    db: RequestDatabase,
    statement: Select[Any],
    model: type[SQLModel],
    columns: frozenset[str],
    start: int,
    size: int,
) -> Sequence[Any]:
    """Rows `start` to `start + size` of `statement` (filtered and ordered), with only `columns`
    of `model`: a page as `schema.relay.page_of` asks for it."""
    wanted = columns_of(model, columns)
    return await db.rows(statement.with_only_columns(*wanted).offset(start).limit(size))
