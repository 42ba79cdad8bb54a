"""The request's database handle, shared by resolvers and loaders.

Everything in a request goes through the same session, so a mutation's payload reads what the
mutation just wrote. Where the session may read on the event loop (`core.database.reader`: a
query on a SQLite file), a statement runs there at once, to its end, in the request's one read
transaction: it needs no lock and cannot be cancelled halfway.

Otherwise the statement goes to the async session, which may only run one statement at a time,
while loaders run their batches concurrently. When a field fails, GraphQL cancels its siblings,
but a statement already started cannot be abandoned halfway without leaving the session unusable,
and a loader's batch runs in a task of its own that nobody cancels. So the statements queue, and
one task (started when the queue fills, ended when it empties) runs them one after another, each
to its end; a cancelled caller's statement that has not started yet is dropped. The request waits
for that task (`settle`) before it closes the session.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Executable, Result, Row, Select
from sqlalchemy.ext.asyncio import AsyncSession

from core.database import begin_reading, reader

T = TypeVar("T")
_Statement = tuple[Callable[[], Awaitable[Any]], "asyncio.Future[Any]"]


class RequestDatabase:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._queue: deque[_Statement] = deque()
        self._runner: asyncio.Task[None] | None = None

    async def _run(self, statement: Callable[[], Awaitable[T]]) -> T:
        outcome: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queue.append((statement, outcome))
        if self._runner is None:
            self._runner = asyncio.ensure_future(self._run_queue())
            self._runner.add_done_callback(self._runner_cancelled)
        # A cancelled caller cancels `outcome` and stops waiting; a started statement finishes.
        return await outcome

    async def _run_queue(self) -> None:
        while self._queue:
            statement, outcome = self._queue.popleft()
            if outcome.cancelled():
                continue
            try:
                await begin_reading(self.session)
                result = await statement()
            except Exception as error:
                if not outcome.done():
                    outcome.set_exception(error)
            else:
                if not outcome.done():
                    outcome.set_result(result)
            finally:
                # Only when this task itself is cancelled (the loop closing) is it undone.
                outcome.cancel()
        self._runner = None

    def _runner_cancelled(self, runner: asyncio.Task[None]) -> None:
        """A runner cancelled (the loop closing; even before it began) runs nothing more: its
        callers' statements are cancelled, and `settle` has nothing left to wait for."""
        if self._runner is runner:
            self._runner = None
            while self._queue:
                self._queue.popleft()[1].cancel()

    async def execute(self, statement: Executable, params: Any = None) -> Result[Any]:
        reads = reader(self.session)
        if reads is not None:
            return reads.execute(statement, params)
        return await self._run(lambda: self.session.execute(statement, params))

    async def scalars(
        self, statement: Executable, params: dict[str, Any] | None = None
    ) -> Sequence[Any]:
        reads = reader(self.session)
        if reads is not None:
            return reads.scalars(statement, params).all()

        async def all_rows() -> Sequence[Any]:
            return (await self.session.scalars(statement, params)).all()

        return await self._run(all_rows)

    async def scalar(self, statement: Executable) -> Any:
        reads = reader(self.session)
        if reads is not None:
            return reads.scalar(statement)
        return await self._run(lambda: self.session.scalar(statement))

    async def rows(
        self, statement: Select[*tuple[Any, ...]], params: dict[str, Any] | None = None
    ) -> Sequence[Row[*tuple[Any, ...]]]:
        """Core rows of a Core `select`, never ORM objects: the cheapest read there is. It runs on
        the session's connection (its transaction, its writes), past the ORM's execution."""
        reads = reader(self.session)
        if reads is not None:
            found: Sequence[Row[*tuple[Any, ...]]] = (
                reads.connection().execute(statement, params).all()
            )
            return found

        async def all_rows() -> Sequence[Row[*tuple[Any, ...]]]:
            connection = await self.session.connection()
            found: Sequence[Row[*tuple[Any, ...]]] = (
                await connection.execute(statement, params)
            ).all()
            return found

        return await self._run(all_rows)

    async def settle(self) -> None:
        """Wait until no statement is running, including those whose callers were cancelled and
        loader batches nobody waits for any more; their errors were their callers' to see."""
        while self._runner is not None:
            await asyncio.wait((self._runner,))
