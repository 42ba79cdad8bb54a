"""Text inputs: a NUL character, which PostgreSQL cannot store, is refused as the client's error
before any resolver runs, whether it comes in a variable or as an escape in the document.

Found by tests/test_fuzz.py (an internal error on PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import WorkerRole
from tests.factories import PASSWORD, make_worker
from tests.graphql_client import GraphQLClient

CREATE_API_KEY = """
mutation CreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret errors { code } }
}
"""
CREATE_API_KEY_LITERAL = """
mutation { createApiKey(input: {name: "ERP\\u0000", scopes: [READ]}) { secret errors { code } } }
"""
API_KEYS = "query { apiKeys { name } }"
REFUSED = [
    {
        "message": "Text must not contain the NUL character (\\u0000)",
        "extensions": {"code": "BAD_USER_INPUT"},
    }
]


@pytest.fixture
async def admin_token(client: GraphQLClient, session: AsyncSession) -> str:
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    return await client.login("admin", PASSWORD)


@pytest.mark.parametrize(
    "variables",
    [
        {"input": {"name": "ERP\x00", "scopes": ["READ"]}},
        {"input": {"name": "ERP", "scopes": ["READ"]}, "unused": ["\x00"]},
    ],
)
async def test_a_nul_character_in_a_variable_is_refused(
    client: GraphQLClient, admin_token: str, variables: dict[str, object]
) -> None:
    # when
    response = await client.raw(CREATE_API_KEY, variables, token=admin_token)

    # then
    body = response.json()
    assert response.status_code == 200
    assert (body["data"], body["errors"]) == (None, REFUSED)
    assert await client.execute(API_KEYS, token=admin_token) == {"apiKeys": []}


async def test_a_nul_character_escaped_in_the_document_is_refused(
    client: GraphQLClient, admin_token: str
) -> None:
    # when
    errors = await client.errors(CREATE_API_KEY_LITERAL, token=admin_token)

    # then
    assert errors == REFUSED
    assert await client.execute(API_KEYS, token=admin_token) == {"apiKeys": []}
