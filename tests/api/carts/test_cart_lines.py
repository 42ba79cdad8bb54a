"""createCart, addCartLines, updateCartLines, removeCartLines: lines priced at each change."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domain import carts
from models import Account
from tests.factories import PASSWORD, make_account, make_contact, make_product
from tests.graphql_client import GraphQLClient, gid

CART_FIELDS = """
  cart { name status total lines { sku productName quantity unitPrice lineTotal } }
  errors { field code message }
"""
CREATE_CART = (
    "mutation Create($input: CreateCartInput!) { createCart(input: $input) { cart { id } "
    "errors { field code message } } }"
)
ADD_LINES = f"""
mutation Add($input: AddCartLinesInput!) {{ addCartLines(input: $input) {{ {CART_FIELDS} }} }}
"""
UPDATE_LINES = f"""
mutation Update($input: UpdateCartLinesInput!) {{
  updateCartLines(input: $input) {{ {CART_FIELDS} }}
}}
"""
REMOVE_LINES = f"""
mutation Remove($input: RemoveCartLinesInput!) {{
  removeCartLines(input: $input) {{ {CART_FIELDS} }}
}}
"""
LINE_IDS = "query Cart($id: ID!) { cart(id: $id) { lines { id sku } } }"


async def shopper_cart(client: GraphQLClient, session: AsyncSession) -> tuple[str, str, Account]:
    """A shopper at an account on price level A with 10% discount, its token and new cart."""
    account = await make_account(session, price_level="A", discount_percent=Decimal("10"))
    await make_contact(session, account=account, username="shopper")
    token = await client.login("shopper", PASSWORD)
    data = await client.execute(CREATE_CART, {"input": {"name": "Weekly"}}, token=token)
    return token, data["createCart"]["cart"]["id"], account


async def test_lines_are_priced_for_the_account_and_merge_by_product(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a cart, and a product priced 9.99 at level A
    token, cart_id, _ = await shopper_cart(client, session)
    bolt = await make_product(
        session, sku="BOLT", name="Bolt", level_prices={"A": "9.99", "B": "5.00"}
    )

    # when the shopper adds it twice in one call, then once more
    lines = [{"productId": gid("Product", bolt.id), "quantity": 2}] * 2
    await client.execute(ADD_LINES, {"input": {"cartId": cart_id, "lines": lines}}, token=token)
    data = await client.execute(
        ADD_LINES,
        {
            "input": {
                "cartId": cart_id,
                "lines": [{"productId": gid("Product", bolt.id), "quantity": 1}],
            }
        },
        token=token,
    )

    # then one line of 5 at 9.99 less 10% = 8.99 (half-up), and the cart total follows
    assert data["addCartLines"] == {
        "cart": {
            "name": "Weekly",
            "status": "OPEN",
            "total": "44.95",
            "lines": [
                {
                    "sku": "BOLT",
                    "productName": "Bolt",
                    "quantity": 5,
                    "unitPrice": "8.99",
                    "lineTotal": "44.95",
                }
            ],
        },
        "errors": [],
    }


async def test_each_refused_line_is_one_error_and_nothing_is_added(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a priced product, an inactive one and one without a price at level A
    token, cart_id, _ = await shopper_cart(client, session)
    good = await make_product(session, level_prices={"A": "1.00"})
    gone = await make_product(
        session, name="Old Widget", is_active=False, level_prices={"A": "1.00"}
    )
    unpriced = await make_product(session, name="Special", level_prices={"B": "1.00"})

    # when all three are added, with a bad quantity on the first
    data = await client.execute(
        ADD_LINES,
        {
            "input": {
                "cartId": cart_id,
                "lines": [
                    {"productId": gid("Product", good.id), "quantity": 0},
                    {"productId": gid("Product", gone.id), "quantity": 1},
                    {"productId": gid("Product", unpriced.id), "quantity": 1},
                    {"productId": gid("Product", 999999), "quantity": 1},
                ],
            }
        },
        token=token,
    )
    cart = await client.execute(LINE_IDS, {"id": cart_id}, token=token)

    # then every problem is reported on its line, in one answer, and the cart is unchanged
    assert data["addCartLines"] == {
        "cart": None,
        "errors": [
            {
                "field": ["lines", "0", "quantity"],
                "code": "INVALID",
                "message": "Quantity must be between 1 and 1000000",
            },
            {
                "field": ["lines", "1", "productId"],
                "code": "NOT_PERMITTED",
                "message": "This product is no longer sold",
            },
            {
                "field": ["lines", "2", "productId"],
                "code": "NOT_PERMITTED",
                "message": "This product has no price for your account",
            },
            {
                "field": ["lines", "3", "productId"],
                "code": "NOT_FOUND",
                "message": "No such product",
            },
        ],
    }
    assert cart == {"cart": {"lines": []}}


async def test_quantities_change_and_lines_go(client: GraphQLClient, session: AsyncSession) -> None:
    # given a cart with two products
    token, cart_id, _ = await shopper_cart(client, session)
    nut = await make_product(session, sku="NUT", level_prices={"A": "2.00"})
    washer = await make_product(session, sku="WASHER", level_prices={"A": "3.00"})
    await client.execute(
        ADD_LINES,
        {
            "input": {
                "cartId": cart_id,
                "lines": [
                    {"productId": gid("Product", nut.id), "quantity": 1},
                    {"productId": gid("Product", washer.id), "quantity": 1},
                ],
            }
        },
        token=token,
    )
    lines = (await client.execute(LINE_IDS, {"id": cart_id}, token=token))["cart"]["lines"]
    nut_line, washer_line = (line["id"] for line in lines)

    # when the nuts go to 10, and the washers are removed
    updated = await client.execute(
        UPDATE_LINES,
        {"input": {"cartId": cart_id, "lines": [{"lineId": nut_line, "quantity": 10}]}},
        token=token,
    )
    removed = await client.execute(
        REMOVE_LINES, {"input": {"cartId": cart_id, "lineIds": [washer_line]}}, token=token
    )
    unknown = await client.execute(
        REMOVE_LINES, {"input": {"cartId": cart_id, "lineIds": [washer_line]}}, token=token
    )

    # then the total follows each change, and a line removed twice is not found
    assert updated["updateCartLines"]["cart"]["total"] == "20.70"
    assert removed["removeCartLines"]["cart"] == {
        "name": "Weekly",
        "status": "OPEN",
        "total": "18.00",
        "lines": [
            {
                "sku": "NUT",
                "productName": nut.name,
                "quantity": 10,
                "unitPrice": "1.80",
                "lineTotal": "18.00",
            }
        ],
    }
    assert unknown["removeCartLines"]["errors"] == [
        {"field": ["lineIds", "0"], "code": "NOT_FOUND", "message": "No such line in this cart"}
    ]


async def test_a_colleagues_cart_does_not_exist_for_you(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a shopper's cart, and a colleague at the same account
    _, cart_id, account = await shopper_cart(client, session)
    await make_contact(session, account=account, username="colleague")
    product = await make_product(session, level_prices={"A": "1.00"})
    token = await client.login("colleague", PASSWORD)

    # when the colleague reads it and adds to it
    read = await client.execute(LINE_IDS, {"id": cart_id}, token=token)
    line = {"productId": gid("Product", product.id), "quantity": 1}
    data = await client.execute(
        ADD_LINES, {"input": {"cartId": cart_id, "lines": [line]}}, token=token
    )

    # then, for the colleague, there is no such cart
    assert read == {"cart": None}
    assert data["addCartLines"]["errors"] == [
        {"field": ["cartId"], "code": "NOT_FOUND", "message": "No such cart"}
    ]


async def test_a_refused_update_changes_no_line(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a cart with one line of 1
    token, cart_id, _ = await shopper_cart(client, session)
    nut = await make_product(session, level_prices={"A": "2.00"})
    line = {"productId": gid("Product", nut.id), "quantity": 1}
    await client.execute(ADD_LINES, {"input": {"cartId": cart_id, "lines": [line]}}, token=token)
    (nut_line,) = (await client.execute(LINE_IDS, {"id": cart_id}, token=token))["cart"]["lines"]

    # when one update sets it to 7 alongside a line that is not in the cart
    data = await client.execute(
        UPDATE_LINES,
        {
            "input": {
                "cartId": cart_id,
                "lines": [
                    {"lineId": nut_line["id"], "quantity": 7},
                    {"lineId": gid("CartLine", 999999), "quantity": 1},
                ],
            }
        },
        token=token,
    )
    after = await client.execute(
        "query Cart($id: ID!) { cart(id: $id) { total lines { quantity } } }",
        {"id": cart_id},
        token=token,
    )

    # then the error is reported and the line keeps its quantity
    assert data["updateCartLines"]["errors"] == [
        {
            "field": ["lines", "1", "lineId"],
            "code": "NOT_FOUND",
            "message": "No such line in this cart",
        }
    ]
    assert after == {"cart": {"total": "1.80", "lines": [{"quantity": 1}]}}


async def test_a_cart_holds_at_most_its_line_limit_and_a_call_past_it_adds_nothing(
    client: GraphQLClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a line limit of 3 (500 in production) and four priced products
    monkeypatch.setattr(carts, "MAX_CART_LINES", 3)
    token, cart_id, _ = await shopper_cart(client, session)
    products = [
        await make_product(session, sku=f"P{n}", name=f"P{n}", level_prices={"A": "1.00"})
        for n in range(4)
    ]
    lines = [{"productId": gid("Product", p.id), "quantity": 1} for p in products]

    # when the shopper fills the cart to the limit, then adds a fourth product
    full = await client.execute(
        ADD_LINES, {"input": {"cartId": cart_id, "lines": lines[:3]}}, token=token
    )
    over = await client.execute(
        ADD_LINES, {"input": {"cartId": cart_id, "lines": lines[3:]}}, token=token
    )

    # then three lines fit, and the fourth is refused on `lines` with the cart unchanged
    assert [line["sku"] for line in full["addCartLines"]["cart"]["lines"]] == ["P0", "P1", "P2"]
    assert over["addCartLines"]["errors"] == [
        {
            "field": ["lines"],
            "code": "LIMIT_EXCEEDED",
            "message": "A cart holds at most 3 products; this one would hold 4",
        }
    ]
    data = await client.execute(LINE_IDS, {"id": cart_id}, token=token)
    assert [line["sku"] for line in data["cart"]["lines"]] == ["P0", "P1", "P2"]
