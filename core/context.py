"""The per-request context: settings, the database session, the viewer and the loaders."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, Self, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request

from core.authentication import authenticate
from core.database import StatementCounter, request_session
from core.request_database import RequestDatabase
from core.settings import Settings
from domain.access import ANONYMOUS, Viewer
from models.types import utcnow


class RequestLoader(Protocol):
    """What the context asks of a loader (`loaders.base.RowLoader`): to be made for a request,
    and to forget what it cached. A protocol, so that `core` imports no loader."""

    @classmethod
    def for_request(cls, scope: Any) -> Self: ...

    def clear_all(self) -> Any: ...


L = TypeVar("L", bound=RequestLoader)


def new_request_id() -> str:
    return uuid.uuid4().hex[:16]


@dataclass
class Context:
    request: Request | None
    settings: Settings
    session: AsyncSession
    viewer: Viewer = ANONYMOUS
    # The caller's IP address (see `domain.credential_requests.client_address`).
    client_ip: str | None = None
    request_id: str = field(default_factory=new_request_id)
    # Set at the start of the operation, so one request sees one "now".
    now: datetime = field(default_factory=utcnow)
    # For the request log: every operation's name and the SQL statements the request sent.
    operation_names: list[str] = field(default_factory=list)
    statements: StatementCounter = field(default_factory=StatementCounter)
    # Set when an error of the operation says the database is down, full or read-only: its
    # unexpected errors are then masked as SERVICE_UNAVAILABLE and the response is a 503.
    database_unavailable: bool = False
    # Which read path answered the query, for the request log: "planned" (`schema.plans`),
    # "partly planned" (some root fields by plan, the others generically), "generic", or None
    # for a mutation, a subscription or an operation that never ran.
    read_path: str | None = None
    db: RequestDatabase = field(init=False)
    _loaders: dict[type[Any], Any] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.db = RequestDatabase(self.session)

    def loader(self, loader_class: type[L]) -> L:
        """The request's instance of `loader_class`, created on first use (aiodataloader binds
        the running event loop when constructed, so never at import time)."""
        loader = self._loaders.get(loader_class)
        if loader is None:
            loader = loader_class.for_request(self)
            self._loaders[loader_class] = loader
        return loader

    def clear_loaders(self) -> None:
        """Forget cached rows: after a mutation writes, so its payload shows the new state, and
        when the unit of work ends. A loader's cache, its futures and their callbacks refer to
        one another (and some loaders to the context), so until the caches are emptied only the
        cyclic garbage collector frees what a request read: 1,230 objects a grid-20 request, 274
        with them emptied."""
        for loader in self._loaders.values():
            loader.clear_all()
        self._loaders.clear()


@dataclass
class LiveContext(Context):
    """A websocket connection's context, which its subscriptions share for as long as they run.

    The token comes in `connection_init` (`connection_params`); every read a subscription makes
    (subscribing, then each event) is a unit of its own (`reading`): a fresh session, the
    viewer authenticated again, empty loaders, so a revoked session or a cart that left the
    viewer's sight is noticed at the next event and no connection is held while idle."""

    sessionmaker: async_sessionmaker[AsyncSession] | None = None
    connection_params: dict[str, object] = field(default_factory=dict)
    token: str | None = None
    # The subscriptions of one connection take turns with the one context.
    _turn: asyncio.Lock = field(default_factory=asyncio.Lock, init=False)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[None]:
        """A unit of work for one read and what GraphQL resolves from it: a subscription
        yields its value inside the block, so the fields resolve before the session closes.
        Raises AuthenticationFailed when the token no longer stands for anyone."""
        assert self.sessionmaker is not None
        async with self._turn, request_session(self.sessionmaker, reading=True) as session:
            self.session = session
            self.db = RequestDatabase(session)
            self.clear_loaders()
            self.now = utcnow()
            self.viewer = await authenticate(
                session, secret_key=self.settings.secret_key, token=self.token, now=self.now
            )
            try:
                yield
            finally:
                await self.db.settle()
                self.clear_loaders()
