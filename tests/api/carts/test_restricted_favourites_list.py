"""addCartLines / updateCartLines and CM10 "Restricted Favourites List": a shopper whose
membership names a list may only put that list's products in carts, one error per refused line,
checked in one batch whatever the number of lines."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from models import Account, Contact, Product
from tests.conftest import StatementCounter
from tests.factories import (
    PASSWORD,
    make_account,
    make_cart,
    make_contact,
    make_favourites_list,
    make_product,
)
from tests.graphql_client import GraphQLClient, gid

CART_FIELDS = "cart { lines { sku quantity } } errors { field code message }"
ADD_LINES = f"""
mutation Add($input: AddCartLinesInput!) {{ addCartLines(input: $input) {{ {CART_FIELDS} }} }}
"""
UPDATE_LINES = f"""
mutation Update($input: UpdateCartLinesInput!) {{
  updateCartLines(input: $input) {{ {CART_FIELDS} }}
}}
"""
CREATE_CART = "mutation { createCart(input: {}) { cart { id } } }"
LINES = "query Cart($id: ID!) { cart(id: $id) { lines { id sku quantity } } }"
OFF_LIST = "You may only buy the products of your favourites list"


class Shop:
    account: Account
    rita: Contact
    listed: list[Product]  # on Rita's restricted list
    unlisted: list[Product]


async def shop(session: AsyncSession) -> Shop:
    """Rita, restricted to Alice's shared "Approved" list, and Colin, who is not."""
    world = Shop()
    world.account = await make_account(session, price_level="A")
    alice = await make_contact(session, account=world.account, username="alice")
    await make_contact(session, account=world.account, username="colin")
    prices = {"A": "5.00"}
    world.listed = [
        await make_product(session, sku=f"ON{n}", level_prices=prices) for n in range(2)
    ]
    world.unlisted = [
        await make_product(session, sku=f"OFF{n}", level_prices=prices) for n in range(4)
    ]
    approved = await make_favourites_list(
        session,
        account=world.account,
        owner=alice,
        products=world.listed,
        name="Approved",
        is_shared=True,
    )
    world.rita = await make_contact(
        session,
        account=world.account,
        username="rita",
        membership={"restricted_favourites_list_id": approved.id},
    )
    return world


def add_input(cart_id: str, products: list[Product]) -> dict[str, object]:
    lines = [{"productId": gid("Product", product.id), "quantity": 1} for product in products]
    return {"input": {"cartId": cart_id, "lines": lines}}


async def new_cart(client: GraphQLClient, username: str) -> tuple[str, str]:
    token = await client.login(username, PASSWORD)
    cart_id = (await client.execute(CREATE_CART, token=token))["createCart"]["cart"]["id"]
    return token, cart_id


async def test_each_line_off_the_list_is_refused_and_nothing_is_added(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Rita's new cart
    world = await shop(session)
    token, cart_id = await new_cart(client, "rita")

    # when she adds a listed product, an unlisted one, the other listed one and another unlisted
    products = [world.listed[0], world.unlisted[0], world.listed[1], world.unlisted[1]]
    data = await client.execute(ADD_LINES, add_input(cart_id, products), token=token)
    after = await client.execute(LINES, {"id": cart_id}, token=token)

    # then each unlisted line is refused on its own path, and the cart stays empty
    assert data["addCartLines"] == {
        "cart": None,
        "errors": [
            {"field": ["lines", "1", "productId"], "code": "NOT_PERMITTED", "message": OFF_LIST},
            {"field": ["lines", "3", "productId"], "code": "NOT_PERMITTED", "message": OFF_LIST},
        ],
    }
    assert after == {"cart": {"lines": []}}


async def test_the_listed_products_are_added(client: GraphQLClient, session: AsyncSession) -> None:
    # given Rita's new cart
    world = await shop(session)
    token, cart_id = await new_cart(client, "rita")

    # when she adds both products of her list
    data = await client.execute(ADD_LINES, add_input(cart_id, world.listed), token=token)

    # then both are in the cart
    assert data["addCartLines"] == {
        "cart": {"lines": [{"sku": "ON0", "quantity": 1}, {"sku": "ON1", "quantity": 1}]},
        "errors": [],
    }


async def test_a_colleague_without_a_restricted_list_may_add_anything(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Colin, whose membership names no list
    world = await shop(session)
    token, cart_id = await new_cart(client, "colin")

    # when he adds a product that is on no list
    data = await client.execute(ADD_LINES, add_input(cart_id, world.unlisted[:1]), token=token)

    # then it is added
    assert data["addCartLines"] == {
        "cart": {"lines": [{"sku": "OFF0", "quantity": 1}]},
        "errors": [],
    }


async def test_changing_the_quantity_of_a_line_off_the_list_is_refused(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Rita's cart holding a listed and an unlisted line (put there before the restriction)
    world = await shop(session)
    cart = await make_cart(
        session,
        account=world.account,
        contact=world.rita,
        lines=[(world.listed[0], 1, "5.00"), (world.unlisted[0], 1, "5.00")],
    )
    token = await client.login("rita", PASSWORD)
    cart_id = gid("Cart", cart.id)
    lines = (await client.execute(LINES, {"id": cart_id}, token=token))["cart"]["lines"]

    # when she changes both quantities
    data = await client.execute(
        UPDATE_LINES,
        {
            "input": {
                "cartId": cart_id,
                "lines": [
                    {"lineId": lines[0]["id"], "quantity": 2},
                    {"lineId": lines[1]["id"], "quantity": 3},
                ],
            }
        },
        token=token,
    )
    after = await client.execute(LINES, {"id": cart_id}, token=token)

    # then the unlisted line is refused and neither quantity changes
    assert data["updateCartLines"] == {
        "cart": None,
        "errors": [
            {"field": ["lines", "1", "productId"], "code": "NOT_PERMITTED", "message": OFF_LIST},
        ],
    }
    assert [(line["sku"], line["quantity"]) for line in after["cart"]["lines"]] == [
        ("ON0", 1),
        ("OFF0", 1),
    ]


async def test_the_list_costs_the_same_sql_for_any_number_of_lines(
    client: GraphQLClient, session: AsyncSession, sql_counter: StatementCounter
) -> None:
    # given Rita's new cart
    world = await shop(session)
    token, cart_id = await new_cart(client, "rita")

    # when she adds one unlisted product, then four
    sql_counter.reset()
    one = await client.execute(ADD_LINES, add_input(cart_id, world.unlisted[:1]), token=token)
    few = sql_counter.count
    sql_counter.reset()
    four = await client.execute(ADD_LINES, add_input(cart_id, world.unlisted), token=token)

    # then four lines are refused with as many statements as one
    assert len(one["addCartLines"]["errors"]) == 1
    assert len(four["addCartLines"]["errors"]) == 4
    assert sql_counter.count == few
