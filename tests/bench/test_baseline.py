"""The plain-Strawberry baseline answers the bench's grid and account-detail documents with the
same data as Tradepost over the same database (in-process, on the demo world), and refuses
anybody but a worker."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.baseline.app import create_app
from bench.probe import check_answer
from bench.scenarios import ACCOUNT_DETAIL, GRID, SCENARIOS
from core.settings import Settings
from resolvers.system_context import system_context
from seed.demo import DEMO_PASSWORD, seed_demo_world, seed_generated_accounts
from tests.graphql_client import GraphQLClient


@pytest.fixture
async def baseline(settings: Settings, engine: AsyncEngine) -> AsyncIterator[GraphQLClient]:
    async with system_context(settings) as context:
        await seed_demo_world(context)
    async with system_context(settings) as context:  # grid 100 needs 100 accounts
        await seed_generated_accounts(context, 100)
    app = create_app(settings.database_url, settings.secret_key)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://baseline") as http:
        yield GraphQLClient(http)


@pytest.mark.parametrize(
    ("scenario", "query", "variables"),
    [
        ("worker grid 20", GRID, {"first": 20}),
        ("worker grid 100", GRID, {"first": 100}),
        ("account detail", ACCOUNT_DETAIL, {}),
    ],
)
async def test_the_baseline_answers_as_tradepost_does(
    client: GraphQLClient,
    baseline: GraphQLClient,
    scenario: str,
    query: str,
    variables: dict[str, object],
) -> None:
    # given the demo world and an admin's session (the baseline reads Tradepost's sessions)
    admin = await client.login("admin", DEMO_PASSWORD)

    # when both answer the bench's document
    theirs = (await baseline.raw(query, variables, token=admin)).json()
    ours = (await client.raw(query, variables, token=admin)).json()

    # then with the same data, which the bench's probe takes for a success
    assert theirs["data"] == ours["data"]
    check_answer(next(s for s in SCENARIOS if s.name == scenario), theirs)


async def test_the_baseline_serves_workers_only(
    client: GraphQLClient, baseline: GraphQLClient
) -> None:
    mary = await client.login("mary", DEMO_PASSWORD)
    for token in (None, mary, "not-a-token"):
        answer = (await baseline.raw(GRID, {"first": 1}, token=token)).json()
        assert answer["data"] is None
        assert answer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
