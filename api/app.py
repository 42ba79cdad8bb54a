"""The Starlette application: `/graphql` (GraphiQL in a browser), `/healthz` and `/readyz`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.types.unset import UNSET

from api.auth import AuthenticationFailed, authenticate, bearer_token
from api.context import Context
from api.database import create_engine, create_sessionmaker
from api.settings import Settings, get_settings
from domain.credential_requests import client_address
from models.types import utcnow
from schema.schema import build_schema

logger = logging.getLogger("tradepost")


class TradepostGraphQL(GraphQL):
    """Strawberry's ASGI view with a database session and an authenticated viewer per request."""

    def __init__(
        self, *, settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
    ) -> None:
        super().__init__(
            build_schema(introspection=settings.introspection),
            graphql_ide="graphiql" if settings.graphiql else None,
        )
        self.settings = settings
        self.sessionmaker = sessionmaker

    async def run(  # type: ignore[override]
        self, request: Request | WebSocket, context: Any = UNSET, root_value: Any = UNSET
    ) -> Response | WebSocket:
        if not isinstance(request, Request):
            return await super().run(request, context, root_value)
        async with self.sessionmaker() as session:
            context = Context(
                request=request,
                settings=self.settings,
                session=session,
                client_ip=client_address(
                    peer=request.client.host if request.client else None,
                    forwarded_for=request.headers.get("x-forwarded-for"),
                    trusted_proxies=self.settings.trusted_proxies,
                ),
            )
            try:
                token = bearer_token(request.headers.get("authorization"))
                context.viewer = await authenticate(
                    session, secret_key=self.settings.secret_key, token=token, now=utcnow()
                )
            except AuthenticationFailed as failure:
                return JSONResponse(
                    {
                        "data": None,
                        "errors": [
                            {"message": str(failure), "extensions": {"code": "UNAUTHENTICATED"}}
                        ],
                    },
                    status_code=401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
            # Authentication read in its own transaction; a mutation then opens a writer's.
            await session.rollback()
            return await super().run(request, context, root_value)


def create_app(settings: Settings | None = None, engine: AsyncEngine | None = None) -> Starlette:
    settings = settings or get_settings()
    engine = engine or create_engine(settings.database_url, echo=settings.sql_echo)
    sessionmaker = create_sessionmaker(engine)
    graphql = TradepostGraphQL(settings=settings, sessionmaker=sessionmaker)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        from migrations.status import migrations_current

        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
                current = await connection.run_sync(migrations_current)
        except Exception as error:
            return JSONResponse({"status": "unavailable", "error": str(error)}, status_code=503)
        if not current:
            return JSONResponse({"status": "migrations pending"}, status_code=503)
        return JSONResponse({"status": "ready"})

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    app = Starlette(
        debug=settings.debug,
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
        ],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    return app
