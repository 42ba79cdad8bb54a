"""STATEMENT_TIMEOUT_MS: PostgreSQL cancels a statement that runs too long, and the client gets
a masked error with its own code (not "Internal server error", never the database's text)."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from api.app import create_app
from core.database import create_engine
from core.settings import Settings
from models import Product
from tests.graphql_client import GraphQLClient

pytestmark = pytest.mark.postgres_only


@pytest.fixture(autouse=True)
def _postgres(settings: Settings) -> None:
    if not settings.is_postgres:
        pytest.skip("statement_timeout is PostgreSQL's")


async def test_the_engine_sets_the_servers_statement_timeout(settings: Settings) -> None:
    engine = create_engine(settings.database_url, statement_timeout_ms=1234)
    async with engine.connect() as connection:
        shown = await connection.scalar(text("SHOW statement_timeout"))
    await engine.dispose()
    assert shown == "1234ms"


async def test_a_statement_over_the_timeout_is_a_masked_coded_error(
    settings: Settings, session: AsyncSession
) -> None:
    # given a catalogue a search must scan, and a server that allows a statement 1 ms
    await session.execute(
        insert(Product),
        [{"sku": f"SKU-{n:05}", "name": f"Product {n} " * 10} for n in range(30_000)],
    )
    await session.commit()
    app = create_app(settings.model_copy(update={"statement_timeout_ms": 1}))
    transport = httpx.ASGITransport(app=app)

    # when an anonymous visitor searches
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await GraphQLClient(http).raw(
            '{ products(filter: {search: "no such product"}) { totalCount } }'
        )

    # then the statement was cancelled and the client told so, masked
    errors = response.json()["errors"]
    request_id = response.headers["X-Request-Id"]
    assert response.status_code == 200
    assert [e["extensions"] for e in errors] == [
        {"code": "STATEMENT_TIMEOUT", "requestId": request_id}
    ]
    assert errors[0]["message"] == (
        f"The request took too long and was stopped (request id {request_id})"
    )
