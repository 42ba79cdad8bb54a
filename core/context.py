"""The per-request context: settings, the database session, the viewer and the loaders."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from core.database import StatementCounter
from core.settings import Settings
from domain.access import ANONYMOUS, Viewer
from loaders.base import RowLoader
from loaders.db import RequestDatabase
from models.types import utcnow

L = TypeVar("L", bound=RowLoader)


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
        """Forget cached rows after a mutation writes, so its payload shows the new state."""
        self._loaders.clear()
