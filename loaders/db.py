"""The request's database handle, shared by resolvers and loaders.

Loaders run their batches concurrently, but one AsyncSession may only run one statement at a
time; a lock serialises them. Everything in a request goes through the same session, so a
mutation's payload reads what the mutation just wrote.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Executable, Result
from sqlalchemy.ext.asyncio import AsyncSession


class RequestDatabase:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.lock = asyncio.Lock()

    async def execute(self, statement: Executable, params: Any = None) -> Result[Any]:
        async with self.lock:
            return await self.session.execute(statement, params)

    async def scalars(self, statement: Executable) -> Sequence[Any]:
        async with self.lock:
            return (await self.session.scalars(statement)).all()

    async def scalar(self, statement: Executable) -> Any:
        async with self.lock:
            return await self.session.scalar(statement)
