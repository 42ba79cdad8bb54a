"""The baseline's ASGI app: Strawberry's own ASGI integration in a Starlette app, one ORM
session and one set of dataloaders per request."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from strawberry.asgi import GraphQL

from bench.baseline.loaders import Loaders
from bench.baseline.schema import Context, schema


class BaselineGraphQL(GraphQL[Context, None]):
    def __init__(self, sessions: async_sessionmaker[AsyncSession], secret_key: str) -> None:
        super().__init__(schema, graphql_ide=None)
        self.sessions = sessions
        self.secret_key = secret_key

    async def get_context(self, request: Any, response: Any) -> Context:
        session = self.sessions()
        return Context(
            session=session,
            loaders=Loaders(session),
            secret_key=self.secret_key,
            authorization=request.headers.get("authorization"),
        )


def create_app(database_url: str, secret_key: str) -> Starlette:
    engine = create_async_engine(database_url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    return Starlette(
        routes=[
            Route("/graphql", BaselineGraphQL(sessions, secret_key)),
            Route("/healthz", healthz),
        ],
        lifespan=lifespan,
    )


def app_from_environment() -> Starlette:
    """uvicorn's factory: the database and secret key of the Tradepost server it is benched with."""
    return create_app(os.environ["DATABASE_URL"], os.environ["SECRET_KEY"])
