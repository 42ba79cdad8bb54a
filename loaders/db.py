"""The request's database handle, shared by resolvers and loaders.

Loaders run their batches concurrently, but one AsyncSession may only run one statement at a
time; a lock serialises them. Everything in a request goes through the same session, so a
mutation's payload reads what the mutation just wrote.

When a field fails, GraphQL cancels its siblings, but a statement already started cannot be
abandoned halfway without leaving the session unusable, and a loader's batch runs in a task of
its own that nobody cancels. So every statement runs to its end in a task of its own, and the
request waits for them (`settle`) before it closes the session.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Executable, Result
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")


class RequestDatabase:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.lock = asyncio.Lock()
        self._running: set[asyncio.Future[Any]] = set()

    async def _run(self, statement: Callable[[], Awaitable[T]]) -> T:
        async def locked() -> T:
            async with self.lock:
                return await statement()

        task = asyncio.ensure_future(locked())
        self._running.add(task)
        task.add_done_callback(self._running.discard)
        # A cancelled caller stops waiting; the statement itself finishes.
        return await asyncio.shield(task)

    async def execute(self, statement: Executable, params: Any = None) -> Result[Any]:
        return await self._run(lambda: self.session.execute(statement, params))

    async def scalars(self, statement: Executable) -> Sequence[Any]:
        async def all_rows() -> Sequence[Any]:
            return (await self.session.scalars(statement)).all()

        return await self._run(all_rows)

    async def scalar(self, statement: Executable) -> Any:
        return await self._run(lambda: self.session.scalar(statement))

    async def settle(self) -> None:
        """Wait until no statement is running, including those whose callers were cancelled and
        loader batches nobody waits for any more; their errors were their callers' to see."""
        while self._running:
            await asyncio.gather(*self._running, return_exceptions=True)
