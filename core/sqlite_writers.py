"""SQLite writers take turns without sleeping in SQLite's busy handler.

SQLite has one writer at a time, and a writer that finds the lock taken polls for it in the busy
handler, sleeping up to 100 ms between tries: under 32 concurrent checkouts those sleeps were most
of the p99. So a writer first takes its turn here, and only then begins its transaction:

- within a process, on an asyncio lock (the waiting writer holds no database connection);
- across processes (`serve --workers N`), on a file lock beside the database, which the kernel
  hands to the next process the moment it is released. Only one writer a process waits for it,
  in a thread, since the asyncio lock comes first.

The turn ends with the session's transaction (commit, rollback or close; not a savepoint's end).
"""

from __future__ import annotations

import asyncio
import fcntl
import os
from contextlib import suppress
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

_TURN = "tradepost_writer_turn"
# An asyncio lock belongs to one event loop: one lock a loop.
_process_locks: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = WeakKeyDictionary()


@dataclass
class _Turn:
    process_lock: asyncio.Lock
    file_descriptor: int | None = None

    def end(self) -> None:
        if self.file_descriptor is not None:
            _unlock_file(self.file_descriptor)
            self.file_descriptor = None
        self.process_lock.release()


def lock_file_path(database: str | None) -> str | None:
    """The file writers of every process lock, beside the database; None for an in-memory one."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return f"{database}-writer"


async def take_writer_turn(session: AsyncSession) -> None:
    """Wait for this session's turn to write; `session` must not be in a transaction yet."""
    bind = session.bind
    if bind is None or bind.dialect.name != "sqlite":
        return
    process_lock = _process_locks.setdefault(asyncio.get_running_loop(), asyncio.Lock())
    await process_lock.acquire()
    turn = _Turn(process_lock)
    try:
        path = lock_file_path(bind.sync_engine.url.database)
        if path is not None:
            turn.file_descriptor = await _lock_file_in_thread(path)
    except BaseException:
        turn.end()
        raise
    session.sync_session.info[_TURN] = turn


def end_writer_turn(session: Session) -> None:
    turn = session.info.pop(_TURN, None)
    if turn is not None:
        turn.end()


@event.listens_for(Session, "after_transaction_end")
def _end_turn_with_transaction(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the session's transaction, not a savepoint inside it
        end_writer_turn(session)


async def _lock_file_in_thread(path: str) -> int:
    locking = asyncio.ensure_future(asyncio.to_thread(_lock_file, path))
    try:
        # The thread cannot be stopped once it waits; a cancelled writer lets it finish.
        return await asyncio.shield(locking)
    except asyncio.CancelledError:
        locking.add_done_callback(_unlock_when_locked)
        raise


def _lock_file(path: str) -> int:
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def _unlock_file(descriptor: int) -> None:
    with suppress(OSError):
        fcntl.flock(descriptor, fcntl.LOCK_UN)
    os.close(descriptor)


def _unlock_when_locked(locking: asyncio.Future[int]) -> None:
    if not locking.cancelled() and locking.exception() is None:
        _unlock_file(locking.result())
