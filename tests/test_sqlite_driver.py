"""The SQLite engine's cursor: one hand-off to aiosqlite's thread a statement, with the same
results, row counts, row ids and errors as SQLAlchemy's own adapter."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from core.database import create_engine


@pytest.fixture
async def sqlite_engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'driver.db'}")
    async with engine.begin() as connection:
        await connection.execute(
            text("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT UNIQUE)")
        )
    yield engine
    await engine.dispose()


@pytest.fixture
def hand_offs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every function queued on aiosqlite's thread."""
    queued: list[str] = []
    original: Any = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, function: Any, *args: Any, **kwargs: Any) -> Any:
        queued.append(getattr(function, "__name__", repr(function)))
        return await original(self, function, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return queued


async def test_a_select_is_one_hand_off(sqlite_engine: AsyncEngine, hand_offs: list[str]) -> None:
    async with sqlite_engine.connect() as connection:
        await connection.execute(text("SELECT 1"))  # BEGIN and the connection's set-up
        hand_offs.clear()
        result = await connection.execute(text("SELECT 1 AS one, 'a' AS letter"))
        assert result.all() == [(1, "a")]
        assert list(result.keys()) == ["one", "letter"]
    # The statement, then the rollback that ends the connection's transaction.
    assert hand_offs == ["_execute", "rollback"]


async def test_writes_report_row_ids_and_counts(sqlite_engine: AsyncEngine) -> None:
    async with sqlite_engine.begin() as connection:
        inserted = await connection.execute(text("INSERT INTO item (name) VALUES ('a')"))
        assert inserted.lastrowid == 1
        await connection.execute(
            text("INSERT INTO item (name) VALUES (:name)"), [{"name": "b"}, {"name": "c"}]
        )
        updated = await connection.execute(text("UPDATE item SET name = name || '!'"))
        assert updated.rowcount == 3
    async with sqlite_engine.connect() as connection:
        names = (await connection.execute(text("SELECT name FROM item ORDER BY id"))).scalars()
        assert names.all() == ["a!", "b!", "c!"]


async def test_errors_keep_their_kind_and_roll_back(sqlite_engine: AsyncEngine) -> None:
    with pytest.raises(IntegrityError):
        async with sqlite_engine.begin() as connection:
            await connection.execute(text("INSERT INTO item (name) VALUES ('x')"))
            await connection.execute(text("INSERT INTO item (name) VALUES ('x')"))
    async with sqlite_engine.connect() as connection:
        count = await connection.scalar(text("SELECT count(*) FROM item"))
    assert count == 0


async def test_nothing_to_roll_back_is_no_hand_off(
    sqlite_engine: AsyncEngine, hand_offs: list[str]
) -> None:
    async with sqlite_engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
        await connection.rollback()
        hand_offs.clear()
        # The pool resets every connection it takes back; this one is already rolled back.
    assert hand_offs == []
