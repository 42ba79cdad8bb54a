"""The SQL a list costs depends on the query's depth, not on how many rows it returns."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import AddressKind, WorkerRole
from tests.conftest import StatementCounter
from tests.factories import PASSWORD, make_account, make_address, make_contact, make_worker
from tests.graphql_client import GraphQLClient

GRID = """
query Grid {
  accounts(first: 50) {
    nodes {
      code
      memberships { nodes { role contact { name email } cartApprover { name } } }
      addresses { nodes { postcode } }
      primaryAddress { city }
    }
  }
}
"""


async def _accounts_with_people(session: AsyncSession, count: int) -> None:
    for _ in range(count):
        account = await make_account(session)
        approver = await make_contact(session, account=account)
        await make_contact(session, account=account, membership={"cart_approver_id": approver.id})
        await make_address(session, account=account, is_primary=True)
        await make_address(session, account=account, kind=AddressKind.SHIPPING)


async def _statements_for_grid(
    client: GraphQLClient, sql_counter: StatementCounter, token: str
) -> tuple[int, int]:
    sql_counter.reset()
    data = await client.execute(GRID, token=token)
    return len(data["accounts"]["nodes"]), sql_counter.count


async def test_the_account_grid_costs_the_same_for_5_and_50_accounts(
    client: GraphQLClient, session: AsyncSession, sql_counter: StatementCounter
) -> None:
    # given an admin and 5 accounts, each with two contacts and two addresses
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    token = await client.login("admin", PASSWORD)
    await _accounts_with_people(session, 5)

    # when the grid is read with 5 accounts, then with 50
    small = await _statements_for_grid(client, sql_counter, token)
    await _accounts_with_people(session, 45)
    large = await _statements_for_grid(client, sql_counter, token)

    # then the statement count is the same: authentication (1), accounts (1), memberships (1),
    # contacts and cart approvers (1, one batch), addresses and primary address (1, one batch)
    assert small[0] == 5 and large[0] == 50
    assert small[1] == large[1] == 5, sql_counter.statements
