"""Run API functions outside a request: the CLI and the seed act as an ADMIN system worker."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from api.context import Context
from api.database import begin_write, create_engine, create_sessionmaker
from api.settings import Settings
from domain.access import Viewer, ViewerKind
from domain.enums import ApiKeyScope, WorkerRole
from models.types import utcnow
from resolvers.auth import create_worker, issue_api_key

SYSTEM = Viewer(kind=ViewerKind.WORKER, worker_role=WorkerRole.ADMIN)


@asynccontextmanager
async def system_context(settings: Settings) -> AsyncIterator[Context]:
    """One committed unit of work run as the system."""
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            await begin_write(session)
            yield Context(request=None, settings=settings, session=session, viewer=SYSTEM)
            await session.commit()
    finally:
        await engine.dispose()


async def create_worker_now(
    settings: Settings,
    *,
    username: str,
    password: str,
    role: WorkerRole,
    rep_code: str | None,
    name: str | None,
) -> int:
    async with system_context(settings) as context:
        worker = await create_worker(
            context.session,
            username=username,
            password=password,
            role=role,
            rep_code=rep_code,
            name=name,
        )
        assert worker.id is not None
        return worker.id


async def create_api_key_now(settings: Settings, *, name: str, scopes: list[ApiKeyScope]) -> str:
    async with system_context(settings) as context:
        secret, _ = await issue_api_key(
            context.session, settings.secret_key, name, scopes, utcnow()
        )
        return secret
