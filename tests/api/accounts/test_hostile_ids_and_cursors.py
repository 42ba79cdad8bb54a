"""IDs and cursors are client text: whatever is inside the base64, a malformed or out-of-range
one is the client's error (or a missing object), never an internal error.

Found by tests/test_fuzz.py."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import WorkerRole
from tests.factories import PASSWORD, make_account, make_worker
from tests.graphql_client import GraphQLClient

ACCOUNTS_AFTER = "query Accounts($after: String) { accounts(after: $after) { totalCount } }"
NODE = "query Node($id: ID!) { node(id: $id) { id } }"
CONTACT = "query Contact($id: ID!) { contact(id: $id) { id } }"


def base64_of(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.fixture
async def admin_token(client: GraphQLClient, session: AsyncSession) -> str:
    await make_account(session, code="A1")
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    return await client.login("admin", PASSWORD)


@pytest.mark.parametrize(
    "cursor",
    [
        "찤᜶",  # not ASCII, so not base64 at all
        base64_of("cursor:²"),  # a digit to str.isdigit, not to int()
        base64_of("cursor:99999999999999999999"),  # past any database integer
    ],
)
async def test_a_malformed_cursor_is_refused_as_such(
    client: GraphQLClient, admin_token: str, cursor: str
) -> None:
    # when
    errors = await client.errors(ACCOUNTS_AFTER, {"after": cursor}, token=admin_token)

    # then
    assert [error["message"] for error in errors] == [f"{cursor!r} is not a valid cursor"]


@pytest.mark.parametrize("key", ["²", "٣", "99999999999999999999", "2147483648"])
async def test_an_id_whose_key_is_no_database_key_names_nothing(
    client: GraphQLClient, admin_token: str, key: str
) -> None:
    # given
    global_id = base64_of(f"Account:{key}")
    contact_id = base64_of(f"Contact:{key}")

    # when
    by_node = await client.execute(NODE, {"id": global_id}, token=admin_token)
    by_field = await client.execute(CONTACT, {"id": contact_id}, token=admin_token)

    # then
    assert by_node == {"node": None}
    assert by_field == {"contact": None}
