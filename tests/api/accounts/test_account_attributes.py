"""Seed 003's territory, shipping method and class, and seed 001's customer groups, doing
something: the territory picks the default location, the shipping method is the order's
default, groups are edited and synced, and each filters the worker's accounts grid."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import ApiKeyScope, PaymentType, WorkerRole
from tests.factories import (
    PASSWORD,
    make_account,
    make_address,
    make_api_key,
    make_cart,
    make_contact,
    make_location,
    make_product,
    make_worker,
)
from tests.graphql_client import GraphQLClient, gid

UPDATE = """
mutation Update($input: UpdateAccountInput!) {
  updateAccount(input: $input) {
    account { territory shippingMethod accountClass customerGroups }
    errors { field code message }
  }
}
"""
CHECKOUT = """
mutation Checkout($input: CheckoutCartInput!) {
  checkoutCart(input: $input) {
    order { shippingMethod shipFrom { code } }
    errors { field code message }
  }
}
"""


async def test_the_territory_assigns_the_default_location(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an account in territory "syd" with no locations assigned, and stock at SYD and MEL
    account = await make_account(
        session, code="C1", territory="syd", payment_types=[PaymentType.ON_ACCOUNT.value]
    )
    await make_address(session, account=account, is_primary=True)
    contact = await make_contact(session, account=account, username="mary")
    pipe = await make_product(session, sku="PIPE", level_prices={"A": "10.00"})
    await make_location(session, code="SYD", stock=[(pipe, 5)])
    await make_location(session, code="MEL", stock=[(pipe, 7)])
    cart = await make_cart(session, account=account, contact=contact, lines=[(pipe, 1, "10.00")])
    token = await client.login("mary", PASSWORD)

    # when Mary looks at her account's locations and the stock, and orders
    seen = await client.execute(
        "query { viewer { activeAccount { locations { isPrimary location { code } } } } "
        'product(sku: "PIPE") { stock { quantity location { code } } } }',
        token=token,
    )
    ordered = await client.execute(
        CHECKOUT,
        {"input": {"cartId": gid("Cart", cart.id), "paymentType": "ON_ACCOUNT"}},
        token=token,
    )

    # then SYD is her account's (primary) location: its stock shows and the order ships from it
    assert seen == {
        "viewer": {
            "activeAccount": {"locations": [{"isPrimary": True, "location": {"code": "SYD"}}]}
        },
        "product": {"stock": [{"quantity": 5, "location": {"code": "SYD"}}]},
    }
    assert ordered["checkoutCart"]["errors"] == []
    assert ordered["checkoutCart"]["order"]["shipFrom"] == {"code": "SYD"}


async def test_the_accounts_shipping_method_is_the_orders_default(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an account that ships by courier, and two carts
    account = await make_account(session, shipping_method="COURIER")
    await make_address(session, account=account, is_primary=True)
    contact = await make_contact(session, account=account, username="mary")
    pipe = await make_product(session, sku="PIPE", level_prices={"A": "10.00"})
    default = await make_cart(session, account=account, contact=contact, lines=[(pipe, 1, "10.00")])
    chosen = await make_cart(session, account=account, contact=contact, lines=[(pipe, 1, "10.00")])
    token = await client.login("mary", PASSWORD)

    # when one cart picks another method, one sends a too-long one, and both are ordered
    details = """mutation($input: SetCartDetailsInput!) { setCartDetails(input: $input) {
      cart { shippingMethod } errors { field code message } } }"""
    picked = await client.execute(
        details,
        {"input": {"cartId": gid("Cart", chosen.id), "shippingMethod": "PICKUP"}},
        token=token,
    )
    too_long = await client.execute(
        details,
        {"input": {"cartId": gid("Cart", default.id), "shippingMethod": "X" * 65}},
        token=token,
    )
    before = await client.execute(
        "query($id: ID!) { cart(id: $id) { shippingMethod } }",
        {"id": gid("Cart", default.id)},
        token=token,
    )
    orders = [
        await client.execute(
            CHECKOUT,
            {"input": {"cartId": gid("Cart", c.id), "paymentType": "ON_ACCOUNT"}},
            token=token,
        )
        for c in (default, chosen)
    ]

    # then the untouched cart ships as the account does; the other as chosen
    assert picked["setCartDetails"] == {"cart": {"shippingMethod": "PICKUP"}, "errors": []}
    assert too_long["setCartDetails"] == {
        "cart": None,
        "errors": [
            {
                "field": ["shippingMethod"],
                "code": "TOO_LONG",
                "message": "shippingMethod is longer than 64 characters",
            }
        ],
    }
    assert before == {"cart": {"shippingMethod": "COURIER"}}
    assert [o["checkoutCart"]["order"]["shippingMethod"] for o in orders] == ["COURIER", "PICKUP"]


async def test_staff_edit_customer_groups_and_a_bad_value_changes_nothing(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an account, a location and a staff member
    account = await make_account(session, customer_groups=["RETAIL"])
    await make_location(session, code="PER")
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    token = await client.login("service", PASSWORD)
    account_id = gid("Account", account.id)

    # when staff set groups (with repeats and spaces), then send a bad group and a bad territory
    good = await client.execute(
        UPDATE,
        {
            "input": {
                "id": account_id,
                "customerGroups": [" trade ", "Retail", "TRADE"],
                "territory": "per",
                "shippingMethod": "Courier",
                "accountClass": "Gold",
            }
        },
        token=token,
    )
    bad = await client.execute(
        UPDATE,
        {
            "input": {
                "id": account_id,
                "customerGroups": ["OK", "no spaces!"],
                "territory": "NOWHERE",
            }
        },
        token=token,
    )
    after = await client.execute(
        "query($id: ID!) { node(id: $id) { ... on Account { customerGroups territory } } }",
        {"id": account_id},
        token=token,
    )

    # then groups are kept upper-case once each; the bad input is refused and changes nothing
    assert good["updateAccount"] == {
        "account": {
            "territory": "per",
            "shippingMethod": "Courier",
            "accountClass": "Gold",
            "customerGroups": ["TRADE", "RETAIL"],
        },
        "errors": [],
    }
    assert bad["updateAccount"] == {
        "account": None,
        "errors": [
            {
                "field": ["customerGroups", "1"],
                "code": "INVALID",
                "message": "customerGroups may hold only letters, digits and . _ / -",
            }
        ],
    }
    assert after == {"node": {"customerGroups": ["TRADE", "RETAIL"], "territory": "per"}}
    nowhere = await client.execute(
        UPDATE, {"input": {"id": account_id, "territory": "NOWHERE"}}, token=token
    )
    assert nowhere["updateAccount"] == {
        "account": None,
        "errors": [{"field": ["territory"], "code": "NOT_FOUND", "message": "No location NOWHERE"}],
    }


async def test_the_erp_syncs_customer_groups_and_the_grid_filters_on_each_attribute(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an integrator and staff
    key = await make_api_key(session, scopes=[ApiKeyScope.SYNC])
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    staff = await client.login("service", PASSWORD)
    records = [
        {
            "erpKey": "E1",
            "code": "A1",
            "companyName": "Alpha",
            "customerGroups": ["trade", "wholesale"],
            "territory": "SYD",
            "shippingMethod": "COURIER",
            "accountClass": "GOLD",
        },
        {
            "erpKey": "E2",
            "code": "B1",
            "companyName": "Beta",
            "customerGroups": ["retail"],
            "territory": "MEL",
            "shippingMethod": "PICKUP",
            "accountClass": "SILVER",
        },
        {"erpKey": "E3", "code": "C1", "companyName": "Gamma", "customerGroups": ["bad group"]},
    ]

    # when the ERP sends the accounts, and staff filter the accounts grid
    synced = await client.execute(
        """mutation($input: SyncAccountsInput!) { syncAccounts(input: $input) {
          results { key outcome account { customerGroups } errors { field code message } } } }""",
        {"input": {"records": records}},
        token=key,
    )
    grid = "query($f: AccountFilter) { accounts(first: 10, filter: $f) { nodes { code } } }"
    found = {
        name: [
            n["code"]
            for n in (await client.execute(grid, {"f": {name: value}}, token=staff))["accounts"][
                "nodes"
            ]
        ]
        for name, value in (
            ("customerGroup", "Wholesale"),
            ("territory", "mel"),
            ("shippingMethod", "courier"),
            ("accountClass", "silver"),
        )
    }

    # then groups arrive upper-case, a bad one fails its record only, and each filter finds one
    assert synced["syncAccounts"]["results"] == [
        {
            "key": "E1",
            "outcome": "CREATED",
            "account": {"customerGroups": ["TRADE", "WHOLESALE"]},
            "errors": [],
        },
        {
            "key": "E2",
            "outcome": "CREATED",
            "account": {"customerGroups": ["RETAIL"]},
            "errors": [],
        },
        {
            "key": "E3",
            "outcome": "FAILED",
            "account": None,
            "errors": [
                {
                    "field": ["records", "2", "customerGroups", "0"],
                    "code": "INVALID",
                    "message": "customerGroups may hold only letters, digits and . _ / -",
                }
            ],
        },
    ]
    assert found == {
        "customerGroup": ["A1"],
        "territory": ["B1"],
        "shippingMethod": ["A1"],
        "accountClass": ["B1"],
    }
