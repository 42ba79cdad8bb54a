"""PostgreSQL's pooled connections are pinged only after they sat idle (`core.database`
`_ping_when_idle`): a request on a connection used a moment ago spends no round trips on a
ping, and a connection the server ended while it was idle is replaced before a request sees it.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

import core.database
from core.database import create_engine
from core.settings import Settings
from tests.graphql_client import GraphQLClient

pytestmark = pytest.mark.postgres_only

QUERY = "{ products(first: 1) { nodes { sku } } }"


@pytest.fixture(autouse=True)
def _postgres(settings: Settings) -> None:
    if not settings.is_postgres:
        pytest.skip("the pool's pings are PostgreSQL's")


@pytest.fixture
def pings(engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The pings the engine's dialect sends, as they happen."""
    sent: list[Any] = []
    ping = engine.dialect.do_ping

    def counted(dbapi_connection: Any) -> bool:
        sent.append(dbapi_connection)
        return ping(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    return sent


async def test_back_to_back_requests_send_no_ping(
    client: GraphQLClient, pings: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a request on a connection (the fixtures' may have left it idle for a while)
    assert "errors" not in (await client.raw(QUERY)).json()
    pings.clear()

    # when requests follow one another on the pool's connections
    for _ in range(3):
        assert "errors" not in (await client.raw(QUERY)).json()

    # then none was pinged; once they count as idle, each checkout is
    assert pings == []
    monkeypatch.setattr(core.database, "PING_AFTER_IDLE_SECONDS", 0.0)
    assert "errors" not in (await client.raw(QUERY)).json()
    assert len(pings) == 1


async def test_a_connection_the_server_ended_while_idle_is_replaced(
    client: GraphQLClient,
    settings: Settings,
    pings: list[Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given pooled connections the server has ended since (a restart, an idle timeout)
    assert "errors" not in (await client.raw(QUERY)).json()
    other = create_engine(settings.database_url)
    async with other.connect() as connection:
        ended = await connection.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    await other.dispose()
    assert ended >= 1

    # when a request comes after they sat idle
    monkeypatch.setattr(core.database, "PING_AFTER_IDLE_SECONDS", 0.0)
    response = await client.raw(QUERY)

    # then the dead connection was found by its ping and replaced: the request succeeds
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    assert pings
