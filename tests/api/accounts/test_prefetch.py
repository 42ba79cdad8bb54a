"""A page of accounts loads the relations its query selects before GraphQL walks it, so the
relation fields answer from the loaders at once, whether they are selected through `nodes`,
`edges { node }`, fragments or aliases."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

import schema.prefetch
from domain.enums import AddressKind, WorkerRole
from tests.conftest import StatementCounter
from tests.factories import (
    PASSWORD,
    make_account,
    make_address,
    make_cart,
    make_contact,
    make_product,
    make_worker,
)
from tests.graphql_client import GraphQLClient, gid

GRID = """
query Grid {
  accounts(first: 10) {
    edges { node { code ...People } }
    nodes { shipTo: addresses(filter: {kind: SHIPPING}) { nodes { postcode } } }
  }
}
fragment People on Account {
  primaryAddress { city }
  memberships { nodes {
    ... on AccountMembership { contact { name } }
    cartApprover { name }
    defaultShipTo { postcode }
  } }
}
"""


@pytest.fixture
def awaited_relations(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every relation field that had to wait for its loader instead of answering at once."""
    awaited: list[Any] = []
    original = schema.prefetch._converted

    def counted(loaded: Any, convert: Any) -> Any:
        awaited.append(convert)
        return original(loaded, convert)

    monkeypatch.setattr(schema.prefetch, "_converted", counted)
    return awaited


@pytest.fixture
async def admin_token(client: GraphQLClient, session: AsyncSession) -> str:
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    return await client.login("admin", PASSWORD)


async def test_a_page_of_accounts_resolves_its_relations_without_waiting(
    client: GraphQLClient,
    session: AsyncSession,
    sql_counter: StatementCounter,
    awaited_relations: list[Any],
    admin_token: str,
) -> None:
    # given accounts whose shoppers have an approver (from another account) and a ship-to
    elsewhere = await make_contact(session, name="Approver Elsewhere")
    for n in range(3):
        account = await make_account(session, code=f"P{n}")
        await make_address(session, account=account, is_primary=True, city=f"City {n}")
        ship_to = await make_address(
            session, account=account, kind=AddressKind.SHIPPING, postcode=f"900{n}"
        )
        await make_contact(
            session,
            account=account,
            name=f"Shopper {n}",
            membership={"cart_approver_id": elsewhere.id, "default_ship_to_id": ship_to.id},
        )

    # when the grid is read
    sql_counter.reset()
    data = await client.execute(GRID, token=admin_token)

    # then every relation is right
    edges = data["accounts"]["edges"]
    assert [edge["node"]["code"] for edge in edges] == ["P0", "P1", "P2"]
    for n, edge in enumerate(edges):
        node = edge["node"]
        assert node["primaryAddress"] == {"city": f"City {n}"}
        assert node["memberships"]["nodes"] == [
            {
                "contact": {"name": f"Shopper {n}"},
                "cartApprover": {"name": "Approver Elsewhere"},
                "defaultShipTo": {"postcode": f"900{n}"},
            }
        ]
    assert [node["shipTo"]["nodes"] for node in data["accounts"]["nodes"]] == [
        [{"postcode": f"900{n}"}] for n in range(3)
    ]
    # and none of them waited: each was loaded ahead, one statement a loader and level
    # (authentication, accounts, addresses, memberships, contacts and approvers together,
    # ship-to addresses by id)
    assert awaited_relations == []
    assert sql_counter.count == 6, sql_counter.statements


async def test_a_single_account_loads_its_relations_ahead_too(
    client: GraphQLClient,
    session: AsyncSession,
    awaited_relations: list[Any],
    admin_token: str,
) -> None:
    # given an account with a primary address
    account = await make_account(session, code="ONE")
    await make_address(session, account=account, is_primary=True, city="Perth")
    assert account.id

    # when it is read by its code, then through `node(id:)` (which loads nothing ahead)
    by_code = await client.execute(
        '{ account(code: "ONE") { primaryAddress { city } } }', token=admin_token
    )
    assert awaited_relations == []
    by_node = await client.execute(
        "query($id: ID!) { node(id: $id) { ... on Account { primaryAddress { city } } } }",
        {"id": gid("Account", account.id)},
        token=admin_token,
    )

    # then both answer the same; the second waited for its loader
    assert by_code["account"]["primaryAddress"] == {"city": "Perth"}
    assert by_node["node"]["primaryAddress"] == {"city": "Perth"}
    assert len(awaited_relations) == 1


async def test_a_page_of_carts_loads_lines_and_their_products_ahead(
    client: GraphQLClient,
    session: AsyncSession,
    sql_counter: StatementCounter,
    awaited_relations: list[Any],
    admin_token: str,
) -> None:
    # given an account with two carts of two lines each
    account = await make_account(session, code="CARTS")
    shopper = await make_contact(session, account=account)
    pipe = await make_product(session, sku="PIPE", name="Pipe")
    tape = await make_product(session, sku="TAPE", name="Tape")
    for name in ("First", "Second"):
        await make_cart(
            session,
            account=account,
            contact=shopper,
            name=name,
            lines=[(pipe, 1, "2.00"), (tape, 3, "1.00")],
        )

    # when the account's carts are read with their lines' products
    sql_counter.reset()
    data = await client.execute(
        '{ account(code: "CARTS") { carts(first: 10) '
        "{ nodes { lines { sku productName quantity } } } } }",
        token=admin_token,
    )

    # then every line is right, none waited, and each relation level was one statement
    # (authentication, account, carts, lines, products)
    for cart in data["account"]["carts"]["nodes"]:
        assert cart["lines"] == [
            {"sku": "PIPE", "productName": "Pipe", "quantity": 1},
            {"sku": "TAPE", "productName": "Tape", "quantity": 3},
        ]
    assert awaited_relations == []
    assert sql_counter.count == 5, sql_counter.statements
