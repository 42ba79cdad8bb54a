"""A database that is down, full or read-only: clients get a masked 503 with the request id
(`SERVICE_UNAVAILABLE`), however far the request got; the log keeps the detail."""

from __future__ import annotations

import logging
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import SQLModel

from api.app import create_app
from core.database import create_engine
from core.settings import Settings
from core.tokens import SESSION_PREFIX
from domain.enums import WorkerRole
from tests.conftest import read_only_engine
from tests.factories import PASSWORD, make_worker

LOGIN = """
mutation Login($input: LoginInput!) {
  login(input: $input) { token errors { code } }
}
"""
PRODUCTS = "query Products { products(first: 1) { totalCount } }"
VIEWER = "query Viewer { viewer { kind } }"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def masked(request_id: str, **where: Any) -> dict[str, Any]:
    return {
        "message": f"Service unavailable (request id {request_id})",
        **where,
        "extensions": {"code": "SERVICE_UNAVAILABLE", "requestId": request_id},
    }


@asynccontextmanager
async def http_client(settings: Settings, engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
    await engine.dispose()


def login(username: str, password: str = PASSWORD) -> dict[str, Any]:
    return {"query": LOGIN, "variables": {"input": {"username": username, "password": password}}}


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(
            lambda tmp: f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/x",
            id="postgresql-down",
        ),
        pytest.param(lambda tmp: f"sqlite+aiosqlite:///{tmp}/missing/x.db", id="sqlite-missing"),
    ],
)
async def test_a_database_that_cannot_be_reached_is_a_masked_503(
    settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture, url: Any
) -> None:
    # given an app whose database does not answer
    unreachable = settings.model_copy(update={"database_url": url(tmp_path)})

    async with http_client(unreachable, create_engine(unreachable.database_url)) as http:
        with caplog.at_level(logging.INFO, logger="tradepost.errors"):
            # when someone logs in, a signed-in client asks, and a visitor browses
            logging_in = await http.post("/graphql", json=login("admin"))
            signed_in = await http.post(
                "/graphql",
                json={"query": VIEWER},
                headers={"Authorization": f"Bearer {SESSION_PREFIX}some-session"},
            )
            browsing = await http.post("/graphql", json={"query": PRODUCTS})

    # then each gets a 503 with a masked error naming its request id, and nothing more
    ids = [r.headers["X-Request-Id"] for r in (logging_in, signed_in, browsing)]
    assert [r.status_code for r in (logging_in, signed_in, browsing)] == [503] * 3
    assert logging_in.json()["errors"] == [masked(ids[0])]
    assert signed_in.json() == {"errors": [masked(ids[1])]}
    assert browsing.json()["errors"] == [
        masked(ids[2], locations=[{"line": 1, "column": 18}], path=["products"])
    ]
    # and the log has the real error under the same ids
    logged = [r for r in caplog.records if r.levelname == "ERROR"]
    assert {r.__dict__["request_id"] for r in logged} == set(ids)
    assert all(r.exc_info for r in logged)


async def test_a_database_that_refuses_writes_is_a_masked_503(
    settings: Settings, database_url: str, session: AsyncSession, caplog: pytest.LogCaptureFixture
) -> None:
    # given a worker, and the database turned read-only
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)

    async with http_client(settings, read_only_engine(database_url)) as http:
        with caplog.at_level(logging.INFO, logger="tradepost.errors"):
            # when the worker logs in (which writes a session and a log row)
            response = await http.post("/graphql", json=login("admin"))

    # then the client sees only that the service is unavailable; the log says why
    request_id = response.headers["X-Request-Id"]
    assert response.status_code == 503
    assert response.json()["errors"] == [
        masked(request_id, locations=[{"line": 3, "column": 3}], path=["login"])
    ]
    assert "read-only" in caplog.text or "readonly" in caplog.text


@pytest.fixture
async def full_sqlite(settings: Settings, tmp_path: Path) -> tuple[Settings, AsyncEngine]:
    """A SQLite database with its tables that may not grow by another page: SQLite's own
    "database or disk is full" (SQLITE_FULL), as on a full disk."""
    url = f"sqlite+aiosqlite:///{tmp_path}/full.db"
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(SQLModel.metadata.create_all)
    await engine.dispose()

    @event.listens_for(engine.sync_engine, "connect")
    def _no_more_pages(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA page_count")
        (pages,) = cursor.fetchone()
        cursor.execute(f"PRAGMA max_page_count = {pages}")
        cursor.close()

    proxied = {"database_url": url, "trusted_proxies": ["127.0.0.1/32"]}
    return settings.model_copy(update=proxied), engine


async def test_a_full_sqlite_disk_is_a_masked_503(
    full_sqlite: tuple[Settings, AsyncEngine], caplog: pytest.LogCaptureFixture
) -> None:
    # given a database that cannot grow
    settings, engine = full_sqlite

    async with http_client(settings, engine) as http:
        with caplog.at_level(logging.INFO, logger="tradepost.errors"):
            # when failed logins from many addresses fill the log's last page
            responses = []
            for attempt in range(200):
                response = await http.post(
                    "/graphql",
                    json=login(f"{attempt:03}" + "u" * 200, "wrong"),
                    headers={"X-Forwarded-For": f"198.51.100.{attempt % 250}"},
                )
                responses.append(response)
                if response.status_code != 200:
                    break

    # then the write that found the disk full is a masked 503, the ones before it were answered
    *answered, full = responses
    assert [r.status_code for r in answered] == [200] * len(answered) and answered
    assert full.status_code == 503
    assert full.json()["errors"] == [masked(full.headers["X-Request-Id"])]
    assert "database or disk is full" in caplog.text
