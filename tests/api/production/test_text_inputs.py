"""Text inputs: a NUL character, which PostgreSQL cannot store, and a text longer than
MAX_TEXT_LENGTH are refused as the client's error before any resolver runs, whether they come in
a variable or in the document.

The NUL was found by tests/test_fuzz.py (an internal error on PostgreSQL); the length by a
security review (a 1 MB search kept a PostgreSQL backend busy for 40 s)."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import WorkerRole
from tests.conftest import ClientWith, StatementCounter
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
API_KEYS = "query { apiKeys { nodes { name } } }"
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
    assert await client.execute(API_KEYS, token=admin_token) == {"apiKeys": {"nodes": []}}


async def test_a_nul_character_escaped_in_the_document_is_refused(
    client: GraphQLClient, admin_token: str
) -> None:
    # when
    errors = await client.errors(CREATE_API_KEY_LITERAL, token=admin_token)

    # then
    assert errors == REFUSED
    assert await client.execute(API_KEYS, token=admin_token) == {"apiKeys": {"nodes": []}}


PRODUCTS = "query($s: String) { products(filter: {search: $s}) { totalCount } }"


def too_long(length: int, maximum: int) -> list[dict[str, object]]:
    return [
        {
            "message": f"Text must be at most {maximum} characters, got {length}",
            "extensions": {"code": "TEXT_TOO_LONG", "maxLength": maximum},
        }
    ]


async def test_a_megabyte_search_is_refused_before_any_sql(
    client: GraphQLClient, sql_counter: StatementCounter
) -> None:
    # given an anonymous visitor and the default MAX_TEXT_LENGTH (20,000)
    sql_counter.reset()

    # when a 1 MB search term is sent
    errors = await client.errors(PRODUCTS, {"s": "a" * 1_000_000})

    # then it is refused without a statement sent to the database
    assert errors == too_long(1_000_000, 20_000)
    assert sql_counter.count == 0


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        # a literal in the document
        ('{ products(filter: {search: "' + "b" * 101 + '"}) { totalCount } }', {}),
        # a variable, and a value nested in a JSON variable
        (PRODUCTS, {"s": "b" * 101}),
        (PRODUCTS, {"s": "b", "unused": {"filters": [{"b" * 101: 1}]}}),
    ],
)
async def test_text_over_the_limit_is_refused_wherever_it_is(
    client_with: ClientWith, query: str, variables: dict[str, object]
) -> None:
    async with client_with(max_text_length=100) as client:
        errors = await client.errors(query, variables)

    assert errors == too_long(101, 100)


async def test_text_at_the_limit_is_let_through(client_with: ClientWith) -> None:
    async with client_with(max_text_length=100) as client:
        data = await client.execute(PRODUCTS, {"s": "b" * 100})

    assert data == {"products": {"totalCount": 0}}
