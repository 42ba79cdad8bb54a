"""Shipping accounts (seed 002): third-party carrier accounts of an account."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import PASSWORD, make_account, make_contact
from tests.graphql_client import GraphQLClient, gid

CREATE = """
mutation Create($input: CreateShippingAccountInput!) {
  createShippingAccount(input: $input) {
    shippingAccount { id carrier accountNumber name }
    errors { field code message }
  }
}
"""
UPDATE = """
mutation Update($input: UpdateShippingAccountInput!) {
  updateShippingAccount(input: $input) {
    shippingAccount { carrier accountNumber name }
    errors { field code message }
  }
}
"""
DELETE = """
mutation Delete($input: DeleteShippingAccountInput!) {
  deleteShippingAccount(input: $input) { deletedShippingAccountId errors { code } }
}
"""


async def test_a_contact_adds_changes_and_removes_a_shipping_account(
    client: GraphQLClient, session: AsyncSession
) -> None:
    account = await make_account(session, code="H1")
    await make_contact(session, account=account, username="mary")
    token = await client.login("mary", PASSWORD)

    created = await client.execute(
        CREATE,
        {
            "input": {
                "accountId": gid("Account", account.id),
                "carrier": "FedEx",
                "accountNumber": "123-456",
                "name": "Our FedEx",
            }
        },
        token=token,
    )
    shipping_id = created["createShippingAccount"]["shippingAccount"]["id"]
    updated = await client.execute(
        UPDATE, {"input": {"id": shipping_id, "name": " Main FedEx "}}, token=token
    )
    emptied = await client.execute(
        UPDATE, {"input": {"id": shipping_id, "carrier": ""}}, token=token
    )
    deleted = await client.execute(DELETE, {"input": {"id": shipping_id}}, token=token)
    listed = await client.execute(
        'query { account(code: "H1") { shippingAccounts { nodes { name } } } }', token=token
    )

    assert created["createShippingAccount"]["errors"] == []
    assert updated["updateShippingAccount"] == {
        "shippingAccount": {"carrier": "FedEx", "accountNumber": "123-456", "name": "Main FedEx"},
        "errors": [],
    }
    assert emptied["updateShippingAccount"]["errors"] == [
        {"field": ["carrier"], "code": "REQUIRED", "message": "carrier is required"}
    ]
    assert deleted["deleteShippingAccount"] == {
        "deletedShippingAccountId": shipping_id,
        "errors": [],
    }
    assert listed == {"account": {"shippingAccounts": {"nodes": []}}}


async def test_another_accounts_wallet_does_not_exist_for_a_contact(
    client: GraphQLClient, session: AsyncSession
) -> None:
    mine = await make_account(session, code="H1")
    other = await make_account(session, code="H2")
    await make_contact(session, account=mine, username="mary")
    token = await client.login("mary", PASSWORD)

    data = await client.execute(
        CREATE,
        {
            "input": {
                "accountId": gid("Account", other.id),
                "carrier": "FedEx",
                "accountNumber": "1",
                "name": "X",
            }
        },
        token=token,
    )

    assert data["createShippingAccount"] == {
        "shippingAccount": None,
        "errors": [{"field": ["accountId"], "code": "NOT_FOUND", "message": "No such account"}],
    }
