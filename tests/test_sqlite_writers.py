"""SQLite writers take turns (`core.sqlite_writers`), not in SQLite's sleeping busy handler: a
waiting writer holds no connection, a writer of another process is waited for on the lock file,
and the turn passes on when the writer's transaction ends, however it ends."""

from __future__ import annotations

import asyncio
import fcntl
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from core.database import begin_write, create_engine, create_sessionmaker
from core.sqlite_writers import lock_file_path


@pytest.fixture
def database(tmp_path: Path) -> str:
    return str(tmp_path / "writers.db")


@pytest.fixture
async def sqlite_engine(database: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
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


async def test_a_writer_waits_for_another_process_on_the_lock_file(
    sqlite_engine: AsyncEngine, database: str
) -> None:
    # given another process's writer holding the lock file (a descriptor of its own stands in:
    # file locks of separate opens exclude each other even within one process)
    path = lock_file_path(database)
    assert path == f"{database}-writer"
    other = os.open(path, os.O_RDWR | os.O_CREAT)
    fcntl.flock(other, fcntl.LOCK_EX)
    sessions = create_sessionmaker(sqlite_engine)
    try:
        async with sessions() as session:
            waiting = asyncio.create_task(_write(session, "after the other"))
            await asyncio.sleep(0.05)

            # then this writer waits, without a connection, until the other lets go
            assert not waiting.done()
            assert sqlite_engine.sync_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
            fcntl.flock(other, fcntl.LOCK_UN)
            await asyncio.wait_for(waiting, timeout=5)
            await session.commit()

            # and once it has committed, the lock file is free again
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        os.close(other)


async def test_a_cancelled_writer_gives_the_lock_file_back(
    sqlite_engine: AsyncEngine, database: str
) -> None:
    path = lock_file_path(database)
    assert path is not None
    other = os.open(path, os.O_RDWR | os.O_CREAT)
    fcntl.flock(other, fcntl.LOCK_EX)
    sessions = create_sessionmaker(sqlite_engine)
    try:
        # given a writer waiting for the lock file, cancelled while it waits
        async with sessions() as session:
            waiting = asyncio.create_task(_write(session, "never"))
            await asyncio.sleep(0.05)
            waiting.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiting
        # when the other writer lets go, the cancelled writer's thread takes the lock, and gives
        # it back at once
        fcntl.flock(other, fcntl.LOCK_UN)
        async with sessions() as session:
            await asyncio.wait_for(_write(session, "next"), timeout=5)
            await session.commit()
    finally:
        os.close(other)

    async with sqlite_engine.connect() as connection:
        names = (await connection.execute(text("SELECT name FROM item"))).scalars()
        assert names.all() == ["next"]
