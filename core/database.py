"""The async engine and per-request sessions.

SQLite gets the settings that keep it healthy under concurrent writers: WAL, synchronous NORMAL,
a busy timeout, and `BEGIN IMMEDIATE` for transactions that will write (a deferred transaction
that later upgrades to a writer fails at once with "database is locked" instead of waiting).

A SQLite file also gets a synchronous read engine beside the async one. A statement through
aiosqlite's thread costs 0.1-0.5 ms of CPU in hand-offs, fifty times what sqlite3 needs to run a
short read, and in WAL mode a reader never waits for a writer. So a request that only reads (a
query, a subscription's event) runs its statements on the event loop, in one read transaction
over a query-only connection: one snapshot for the whole request (`request_session(...,
reading=True)`, `reader`). A mutation gives its reader up when it opens the writer's
transaction (`begin_write`), so its payload reads its own writes through the async session.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Executable, Result, event
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker
from sqlalchemy.pool import QueuePool

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
PREPARED_STATEMENT_CACHE_SIZE = 500
# In an AsyncSession's `info`: whether it is a unit that reads until it writes, and its reader.
_READING = "tradepost_reading"
_READER = "tradepost_reader"
# A SQLite file's async engine (its sync_engine) -> the sessions that read it on the event loop.
_read_sessions: WeakKeyDictionary[Engine, sessionmaker[Session]] = WeakKeyDictionary()


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
        _configure_sqlite(engine.sync_engine, foreign_keys=foreign_keys)
        database = engine.url.database
        if database and database != ":memory:" and not database.startswith("file:"):
            _read_sessions[engine.sync_engine] = _read_sessionmaker(engine, echo=echo)
    else:
        server_settings = (
            {"statement_timeout": str(statement_timeout_ms)} if statement_timeout_ms else {}
        )
        engine = create_async_engine(
            url,
            echo=echo,
            pool_size=10,
            max_overflow=10,
            # The connection returned last is used next: under load the same few stay warm
            # and unpinged (`_ping_when_idle`), the others sit idle until they are needed.
            pool_use_lifo=True,
            connect_args={
                "server_settings": server_settings,
                # Each connection prepares a statement once and keeps it (SQLAlchemy's cache of
                # asyncpg's prepared statements; 100 by default): an IN list of each length is a
                # statement of its own, and the loaders make many.
                "prepared_statement_cache_size": PREPARED_STATEMENT_CACHE_SIZE,
            },
        )
        _ping_when_idle(engine.sync_engine)
    _count_statements(engine.sync_engine)
    return engine


# A pooled connection back in the pool for longer than this is pinged before it is used again.
PING_AFTER_IDLE_SECONDS = 1.0
_RETURNED_AT = "tradepost_returned_at"


def _ping_when_idle(engine: Engine) -> None:
    """SQLAlchemy's `pool_pre_ping` pinged every connection on every checkout: on asyncpg three
    round trips (BEGIN, the ping, ROLLBACK) of a grid request's ten, and a round trip costs
    ~0.2 ms of CPU here. A connection that served a request a moment ago is alive; one idle
    for a second or more (the server may have restarted meanwhile) is pinged, and a dead one
    replaced before the request sees it (`DisconnectionError` makes the pool connect anew).
    What this gives up: a request in the second after a database restart, on a connection
    used just before it, fails once, as a request already running at the restart does."""

    @event.listens_for(engine.pool, "connect")
    def _connected(_dbapi_connection: Any, record: Any) -> None:
        record.info[_RETURNED_AT] = time.monotonic()

    @event.listens_for(engine.pool, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        record.info[_RETURNED_AT] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get(_RETURNED_AT)
        if returned is not None and time.monotonic() - returned < PING_AFTER_IDLE_SECONDS:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise DisconnectionError("the pooled connection did not answer a ping") from error
        if not alive:
            raise DisconnectionError("the pooled connection did not answer a ping")


def _read_sessionmaker(engine: AsyncEngine, *, echo: bool) -> sessionmaker[Session]:
    """Sessions over pysqlite connections to `engine`'s file that may only read. The pool never
    makes a caller wait (a wait would block the event loop): it opens another connection."""
    read_engine = create_sync_engine(
        engine.url.set(drivername="sqlite+pysqlite"),
        echo=echo,
        poolclass=QueuePool,
        pool_size=16,
        max_overflow=-1,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )
    _configure_sqlite(read_engine, foreign_keys=True, query_only=True)
    _count_statements(read_engine)
    return sessionmaker(read_engine, expire_on_commit=False, autoflush=False)


def sync_engines(engine: AsyncEngine) -> list[Engine]:
    """The engines that send `engine`'s statements: its own, and its reader's on the event loop."""
    readers = _read_sessions.get(engine.sync_engine)
    read_engine = readers.kw["bind"] if readers is not None else None
    return [engine.sync_engine] + ([read_engine] if isinstance(read_engine, Engine) else [])


async def dispose(engine: AsyncEngine) -> None:
    """Close `engine`'s connections, and those of its reader on the event loop."""
    for sync_engine in sync_engines(engine)[1:]:
        sync_engine.dispose()
    await engine.dispose()


def count_statements(session: AsyncSession, counter: StatementCounter) -> None:
    """Count the statements `session` (and its reader) sends from now on in `counter`."""
    session.info[_STATEMENT_COUNTER] = counter
    reads = session.info.get(_READER)
    if reads is not None:
        reads.info[_STATEMENT_COUNTER] = counter


@event.listens_for(Session, "after_begin")
def _tie_counter_to_connection(
    session: Session, _transaction: SessionTransaction, connection: Connection
) -> None:
    # A pooled connection serves one session at a time, so while this session holds it the
    # connection's statements are this session's.
    connection.info[_STATEMENT_COUNTER] = session.info.get(_STATEMENT_COUNTER)


def _count_statements(engine: Engine) -> None:
    @event.listens_for(engine, "before_cursor_execute")
    def _count(conn: Connection, *_args: Any) -> None:
        counter = conn.info.get(_STATEMENT_COUNTER)
        if counter is not None:
            counter.count += 1

    @event.listens_for(engine.pool, "checkin")
    def _untie(_dbapi_connection: Any, record: Any) -> None:
        record.info.pop(_STATEMENT_COUNTER, None)


def _configure_sqlite(engine: Engine, *, foreign_keys: bool, query_only: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy (below) emit BEGIN itself so that SAVEPOINT works and writers can
        # take the lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        if query_only:
            cursor.execute("PRAGMA query_only=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        writes = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


@asynccontextmanager
async def request_session(
    sessionmaker: async_sessionmaker[AsyncSession], *, reading: bool = False
) -> AsyncIterator[AsyncSession]:
    """A session for one unit of work. A `reading` unit (a GraphQL request's, not a command's,
    whose resolvers write at will) reads in one snapshot until it writes: on a SQLite file
    through its reader on the event loop (`reader`), on PostgreSQL in a REPEATABLE READ
    transaction (`begin_reading`). Closing a session that never began a transaction only
    forgets its objects, which the garbage collector does as well, and costs a greenlet switch:
    a request that never touched the database (`{ __typename }`) skips it."""
    session = sessionmaker()
    session.info[_READING] = reading
    try:
        yield session
    finally:
        end_reads(session)
        if session.in_transaction():
            await session.close()


def reader(session: AsyncSession) -> Session | None:
    """The session that runs `session`'s reads on the event loop, begun on first use, or None
    where they go through `session` itself: it writes, or the database is not a SQLite file."""
    reads: Session | None = session.info.get(_READER)
    if reads is not None or not session.info.get(_READING):
        return reads
    engine = session.bind
    readers = _read_sessions.get(engine.sync_engine) if isinstance(engine, AsyncEngine) else None
    if readers is None:
        return None
    reads = session.info[_READER] = readers()
    reads.info[_STATEMENT_COUNTER] = session.info.get(_STATEMENT_COUNTER)
    return reads


async def begin_reading(session: AsyncSession) -> None:
    """Before a reading unit's statement on `session` itself: on PostgreSQL, open its
    transaction as REPEATABLE READ (the same one BEGIN), so that every statement sees the
    snapshot the first one took, as on SQLite, where a read transaction is one snapshot."""
    if (
        session.info.get(_READING)
        and not session.in_transaction()
        and session.bind is not None
        and session.bind.dialect.name == "postgresql"
    ):
        await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def end_reads(session: AsyncSession) -> None:
    """End `session`'s reading: its reader's transaction, if any, ends, and later statements
    go through `session` in its own transactions."""
    session.info[_READING] = False
    reads: Session | None = session.info.pop(_READER, None)
    if reads is not None:
        reads.close()


async def read(
    session: AsyncSession, statement: Executable, params: Any = None
) -> Result[*tuple[Any, ...]]:
    """`statement`'s result, read in the reading unit's snapshot where `session` is in one."""
    reads = reader(session)
    if reads is not None:
        return reads.execute(statement, params)
    await begin_reading(session)
    return await session.execute(statement, params)


async def begin_write(session: AsyncSession) -> None:
    """Open the session's transaction as a writer (BEGIN IMMEDIATE on SQLite), after taking its
    turn among SQLite's writers (`core.sqlite_writers`). Its reads go through it from now on."""
    end_reads(session)
    await take_writer_turn(session)
    try:
        await session.connection(execution_options={WRITE_OPTION: True})
    except BaseException:
        end_writer_turn(session.sync_session)
        raise
