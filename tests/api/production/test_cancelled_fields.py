"""When a field fails, GraphQL cancels its sibling fields' pending work; a sibling cancelled in
the middle of a database statement must not leave the request's session half-used (the session
could not close, the request crashed and its connection stayed "idle in transaction").

Found by tests/test_fuzz.py."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import PASSWORD, make_account, make_contact
from tests.graphql_client import GraphQLClient

# `carts` refuses `first` and `last` together, which nulls `viewer` while `activeAccount` and
# its memberships are still being read.
FAILING_NEXT_TO_READS = """
query {
  viewer {
    activeAccount { id memberships { nodes { updatedAt } } }
    carts(first: 0, last: 0) { totalCount }
  }
}
"""
VIEWER = "query { viewer { activeAccount { code } } }"


async def test_a_failing_field_next_to_database_reads_is_answered_and_leaves_nothing_open(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given
    account = await make_account(session, code="C1")
    await make_contact(session, account=account, username="shopper")
    token = await client.login("shopper", PASSWORD)

    # when
    errors = await client.errors(FAILING_NEXT_TO_READS, token=token)
    after = await client.execute(VIEWER, token=token)

    # then
    assert [(error["message"], error["path"]) for error in errors] == [
        ("Pass `first` or `last`, not both", ["viewer", "carts"])
    ]
    assert after == {"viewer": {"activeAccount": {"code": "C1"}}}
