"""SQLite writers of one process queue on an asyncio lock (`api.database.begin_write`), not in
SQLite's sleeping busy handler: a waiting writer holds no connection, and the lock passes on
when the writer's transaction ends, however it ends."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api.database import begin_write, create_engine, create_sessionmaker


@pytest.fixture
async def sqlite_engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'writers.db'}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)"))
    yield engine
    await engine.dispose()


async def _write(session: AsyncSession, name: str) -> None:
    await begin_write(session)
    await session.execute(text("INSERT INTO item (name) VALUES (:name)"), {"name": name})


async def test_a_second_writer_waits_without_a_connection_until_the_first_commits(
    sqlite_engine: AsyncEngine,
) -> None:
    sessions = create_sessionmaker(sqlite_engine)
    async with sessions() as first, sessions() as second:
        await _write(first, "first")
        waiting = asyncio.create_task(_write(second, "second"))
        await asyncio.sleep(0.05)

        # the second writer waits, and holds no connection while it does
        assert not waiting.done()
        assert sqlite_engine.sync_engine.pool.checkedout() == 1  # type: ignore[attr-defined]

        await first.commit()
        await asyncio.wait_for(waiting, timeout=5)
        await second.commit()

    async with sqlite_engine.connect() as connection:
        names = (await connection.execute(text("SELECT name FROM item ORDER BY id"))).scalars()
        assert names.all() == ["first", "second"]


async def test_the_lock_passes_on_at_rollback_and_close_but_not_at_a_savepoint(
    sqlite_engine: AsyncEngine,
) -> None:
    sessions = create_sessionmaker(sqlite_engine)
    async with sessions() as first:
        await _write(first, "kept in a savepoint")
        async with first.begin_nested():
            await first.execute(text("INSERT INTO item (name) VALUES ('nested')"))
        # a savepoint's end is not the transaction's: the next writer still waits
        async with sessions() as second:
            waiting = asyncio.create_task(_write(second, "second"))
            await asyncio.sleep(0.05)
            assert not waiting.done()
            await first.rollback()
            await asyncio.wait_for(waiting, timeout=5)
        # closed without commit: rolled back, and the lock passes on again
    async with sessions() as third:
        await asyncio.wait_for(_write(third, "third"), timeout=5)
        await third.commit()

    async with sqlite_engine.connect() as connection:
        names = (await connection.execute(text("SELECT name FROM item ORDER BY id"))).scalars()
        assert names.all() == ["third"]
