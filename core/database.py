"""The async engine and per-request sessions.

SQLite gets the settings that keep it healthy under concurrent writers: WAL, synchronous NORMAL,
a busy timeout, and `BEGIN IMMEDIATE` for transactions that will write (a deferred transaction
that later upgrades to a writer fails at once with "database is locked" instead of waiting).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session, SessionTransaction

from core.sqlite_driver import single_trip_dbapi
from core.sqlite_writers import end_writer_turn, take_writer_turn

WRITE_OPTION = "tradepost_write"
# What says the database cannot serve now, as opposed to a statement that is wrong: PostgreSQL's
# SQLSTATE classes 08 (connection), 53 (insufficient resources: disk full, out of memory, too
# many connections), 57P (shut down, starting up), 58 (system I/O) and 25006 (a read-only
# transaction: a standby), and SQLite's result codes for a full disk, a read-only or unopenable
# file, an I/O error, memory, and a lock held past the busy timeout.
_UNAVAILABLE_SQLSTATES = ("08", "53", "57P", "58", "25006")
_UNAVAILABLE_SQLITE_CODES = (
    "SQLITE_FULL",
    "SQLITE_READONLY",
    "SQLITE_CANTOPEN",
    "SQLITE_IOERR",
    "SQLITE_NOMEM",
    "SQLITE_BUSY",
)
SQLITE_BUSY_TIMEOUT_MS = 10_000
_STATEMENT_COUNTER = "tradepost_statement_counter"


@dataclass
class StatementCounter:
    """How many SQL statements one request's session sent (for the request log)."""

    count: int = 0


def database_unavailable(error: BaseException) -> bool:
    """Whether `error` (or what caused it) says the database is down, unreachable, full or
    read-only: a client should try again later (503), not report a bug (500)."""
    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, OSError | DisconnectionError | PoolTimeoutError):
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        sqlstate = getattr(current, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate.startswith(_UNAVAILABLE_SQLSTATES):
            return True
        sqlite_code = getattr(current, "sqlite_errorname", None)
        if isinstance(sqlite_code, str) and sqlite_code.startswith(_UNAVAILABLE_SQLITE_CODES):
            return True
        causes = (getattr(current, "orig", None), current.__cause__, current.__context__)
        pending += [cause for cause in causes if isinstance(cause, BaseException)]
    return False


def create_engine(
    url: str, *, echo: bool = False, foreign_keys: bool = True, statement_timeout_ms: int = 0
) -> AsyncEngine:
    """`foreign_keys=False` is for migrations only: SQLite alters a table by copying it and
    dropping the original, and with foreign keys enforced that drop would cascade to the rows
    that refer to it. `statement_timeout_ms` (PostgreSQL, 0 for none) is the server's: the CLI's
    imports and migrations run without one."""
    if url.startswith("sqlite"):
        engine = create_async_engine(
            url,
            echo=echo,
            module=single_trip_dbapi(),
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        _configure_sqlite(engine, foreign_keys=foreign_keys)
    else:
        server_settings = (
            {"statement_timeout": str(statement_timeout_ms)} if statement_timeout_ms else {}
        )
        engine = create_async_engine(
            url,
            echo=echo,
            pool_size=10,
            max_overflow=10,
            pool_pre_ping=True,
            connect_args={"server_settings": server_settings},
        )
    _count_statements(engine)
    return engine


def count_statements(session: AsyncSession, counter: StatementCounter) -> None:
    """Count the statements `session` sends from now on in `counter`."""
    session.info[_STATEMENT_COUNTER] = counter


@event.listens_for(Session, "after_begin")
def _tie_counter_to_connection(
    session: Session, _transaction: SessionTransaction, connection: Connection
) -> None:
    # A pooled connection serves one session at a time, so while this session holds it the
    # connection's statements are this session's.
    connection.info[_STATEMENT_COUNTER] = session.info.get(_STATEMENT_COUNTER)


def _count_statements(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _count(conn: Connection, *_args: Any) -> None:
        counter = conn.info.get(_STATEMENT_COUNTER)
        if counter is not None:
            counter.count += 1

    @event.listens_for(engine.sync_engine.pool, "checkin")
    def _untie(_dbapi_connection: Any, record: Any) -> None:
        record.info.pop(_STATEMENT_COUNTER, None)


def _configure_sqlite(engine: AsyncEngine, *, foreign_keys: bool) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy (below) emit BEGIN itself so that SAVEPOINT works and writers can
        # take the lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        writes = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


@asynccontextmanager
async def request_session(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """A session for one unit of work. Closing one that never began a transaction only forgets
    its objects, which the garbage collector does as well, and costs a greenlet switch: a
    request that never touched the database (`{ __typename }`) skips it."""
    session = sessionmaker()
    try:
        yield session
    finally:
        if session.in_transaction():
            await session.close()


async def begin_write(session: AsyncSession) -> None:
    """Open the session's transaction as a writer (BEGIN IMMEDIATE on SQLite), after taking its
    turn among SQLite's writers (`core.sqlite_writers`)."""
    await take_writer_turn(session)
    try:
        await session.connection(execution_options={WRITE_OPTION: True})
    except BaseException:
        end_writer_turn(session.sync_session)
        raise
