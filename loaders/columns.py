"""Pages of only the columns a caller needs, as Core rows: the planned read path's paged
statements (`schema.plans`), cut from the statements the generic path pages. (Its keyed reads
are the loaders' own: `KeyedLoader.found` with the plan's columns.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select
from sqlmodel import SQLModel

from core.request_database import RequestDatabase


def columns_of(model: type[SQLModel], names: frozenset[str]) -> list[Any]:
    return [getattr(model, name) for name in sorted(names)]


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
