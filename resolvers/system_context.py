"""Run use cases outside a request: the CLI, the importer and the seed act as an ADMIN system
worker, in one committed unit of work on a migrated database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncEngine

from core.context import Context
from core.database import begin_write, create_engine, create_sessionmaker
from core.settings import Settings
from domain.access import Viewer, ViewerKind
from domain.enums import WorkerRole
from migrations.status import require_migrated

SYSTEM = Viewer(kind=ViewerKind.WORKER, worker_role=WorkerRole.ADMIN)


@asynccontextmanager
async def migrated_engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    """An engine on a database with the current schema, else `DatabaseNotReady` naming the
    DATABASE_URL (and no empty SQLite file left behind)."""
    engine = create_engine(settings.database_url)
    try:
        await require_migrated(engine, settings.database_url)
        yield engine
    finally:
        await engine.dispose()


@asynccontextmanager
async def system_context(settings: Settings) -> AsyncIterator[Context]:
    """One committed unit of work run as the system."""
    async with migrated_engine(settings) as engine, create_sessionmaker(engine)() as session:
        await begin_write(session)
        yield Context(request=None, settings=settings, session=session, viewer=SYSTEM)
        await session.commit()
