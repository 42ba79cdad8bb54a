"""SQLite statements in one hand-off to aiosqlite's thread instead of four.

aiosqlite runs every sqlite3 call on a thread of its own, and SQLAlchemy's adapter makes four
calls a statement (open a cursor, execute, fetch the rows, close the cursor). Each hand-off wakes
the thread and then the event loop, which costs 70-100 µs of CPU on a small machine: more than the
statement itself. `SingleTripCursor` does the four in one function on that thread. It reads like
SQLAlchemy's own adapter (which also queues work on aiosqlite's thread directly) and keeps its
behaviour: rows are fetched at once (no server-side cursors are used on SQLite), and the
description, row count and last row id are read before the sqlite3 cursor closes.
"""

from __future__ import annotations

import collections
import sqlite3
from typing import Any, cast

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_

_Outcome = tuple[Any, int, int | None, list[Any]]


def _execute(connection: sqlite3.Connection, operation: str, parameters: Any) -> _Outcome:
    """On aiosqlite's thread: run one statement and read everything SQLAlchemy asks of it."""
    cursor = connection.cursor()
    try:
        cursor.execute(operation, () if parameters is None else parameters)
        rows = cursor.fetchall() if cursor.description else []
        return cursor.description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()


def _execute_many(connection: sqlite3.Connection, operation: str, parameters: Any) -> _Outcome:
    cursor = connection.cursor()
    try:
        cursor.executemany(operation, parameters)
        return cursor.description, cursor.rowcount, cursor.lastrowid, []
    finally:
        cursor.close()


class SingleTripCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ("_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection) -> None:
        # No aiosqlite cursor (opening one is a hand-off): each statement opens its own.
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid  # type: ignore[return-value]

    async def _run(self, function: Any, operation: Any, parameters: Any) -> None:
        async with self._adapt_connection._execute_mutex:
            connection = cast(aiosqlite.Connection, self._connection)
            outcome: _Outcome = await connection._execute(  # type: ignore[no-untyped-call]
                function, connection._conn, operation, parameters
            )
        self._description, self._rowcount, self._lastrowid, rows = outcome
        self._rows = collections.deque(rows)

    async def _execute_async(self, operation: Any, parameters: Any) -> None:
        await self._run(_execute, operation, parameters)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> None:
        await self._run(_execute_many, operation, seq_of_parameters)

    async def _async_soft_close(self) -> None:
        """Nothing is left open after a statement."""

    def close(self) -> None:
        self._rows.clear()


class SingleTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = SingleTripCursor  # type: ignore[assignment]

    def _in_transaction(self) -> bool:
        # sqlite3 reads this flag from the connection's memory: no hand-off needed.
        connection = cast(aiosqlite.Connection, self._connection)._connection
        return connection is not None and connection.in_transaction

    def rollback(self) -> None:
        """Skip the hand-off when there is nothing to roll back (the pool rolls back every
        connection it takes back, usually just after the session did)."""
        if self._in_transaction():
            super().rollback()

    def commit(self) -> None:
        if self._in_transaction():
            super().commit()


class SingleTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module for `create_async_engine(module=...)`: aiosqlite with the cursor above."""

    def connect(self, *arg: Any, **kw: Any) -> SingleTripConnection:
        connection = aiosqlite.connect(*arg, **kw)
        # As SQLAlchemy's own adapter does: the thread must not keep the process alive.
        connection._thread.daemon = True
        return SingleTripConnection(self, cast(Any, await_(connection)))


def single_trip_dbapi() -> SingleTripDBAPI:
    return SingleTripDBAPI(aiosqlite, sqlite3)
