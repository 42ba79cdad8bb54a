"""addCartLines / updateCartLines and seed 004 SU23 "Restricted Products Apply": one error per
restricted line for a shopper whose membership says so; a contract product is exempt."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import WorkerRole
from models import Account, Contact, Product
from tests.factories import (
    PASSWORD,
    make_account,
    make_cart,
    make_contact,
    make_contract,
    make_product,
    make_restriction,
    make_worker,
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
LINE_IDS = "query Cart($id: ID!) { cart(id: $id) { lines { id sku } } }"
LINES = "query Cart($id: ID!) { cart(id: $id) { lines { sku quantity } } }"
RESTRICTED = "This product is restricted for your account"


class Shop:
    account: Account
    rita: Contact
    plain: Product
    listed: Product  # on the account's SU23 list
    commodity: Product  # of a commodity on the account's SU23 list
    contracted: Product  # on the account's list, and on its current contract


async def shop(session: AsyncSession) -> Shop:
    """Rita, whose membership has "restricted products apply", and Colin, whose does not."""
    world = Shop()
    world.account = await make_account(session, price_level="A")
    world.rita = await make_contact(
        session,
        account=world.account,
        username="rita",
        membership={"restricted_products_apply": True},
    )
    await make_contact(session, account=world.account, username="colin")
    prices = {"A": "5.00"}
    world.plain = await make_product(session, sku="PLAIN", level_prices=prices)
    world.listed = await make_product(session, sku="LISTED", level_prices=prices)
    world.commodity = await make_product(
        session, sku="COMMODITY", commodity="TOBACCO", level_prices=prices
    )
    await make_restriction(session, account=world.account, commodity="TOBACCO")
    world.contracted = await make_product(session, sku="CONTRACTED", level_prices=prices)
    for product in (world.listed, world.contracted):
        await make_restriction(session, account=world.account, product=product)
    await make_contract(
        session,
        starts_on=date(2021, 1, 1),
        expires_on=date(2999, 12, 31),
        products=[(world.contracted, "4.00", False)],
        accounts=[world.account],
    )
    return world


def add_input(cart_id: str, products: list[Product]) -> dict[str, object]:
    lines = [{"productId": gid("Product", product.id), "quantity": 1} for product in products]
    return {"input": {"cartId": cart_id, "lines": lines}}


async def test_each_restricted_line_is_refused_for_a_shopper_they_apply_to(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Rita, to whom restrictions apply, and her new cart
    world = await shop(session)
    token = await client.login("rita", PASSWORD)
    cart_id = (await client.execute(CREATE_CART, token=token))["createCart"]["cart"]["id"]

    # when she adds a plain, a listed, a restricted commodity and a contracted product
    data = await client.execute(
        ADD_LINES,
        add_input(cart_id, [world.plain, world.listed, world.commodity, world.contracted]),
        token=token,
    )
    cart = await client.execute(LINE_IDS, {"id": cart_id}, token=token)

    # then the listed and commodity lines are refused, each on its own line; nothing is added
    assert data["addCartLines"] == {
        "cart": None,
        "errors": [
            {"field": ["lines", "1", "productId"], "code": "NOT_PERMITTED", "message": RESTRICTED},
            {"field": ["lines", "2", "productId"], "code": "NOT_PERMITTED", "message": RESTRICTED},
        ],
    }
    assert cart == {"cart": {"lines": []}}


async def test_a_contract_product_is_exempt(client: GraphQLClient, session: AsyncSession) -> None:
    # given Rita's new cart
    world = await shop(session)
    token = await client.login("rita", PASSWORD)
    cart_id = (await client.execute(CREATE_CART, token=token))["createCart"]["cart"]["id"]

    # when she adds the product her account's contract lists, though it is on the SU23 list
    data = await client.execute(ADD_LINES, add_input(cart_id, [world.contracted]), token=token)

    # then it is added
    assert data["addCartLines"] == {
        "cart": {"lines": [{"sku": "CONTRACTED", "quantity": 1}]},
        "errors": [],
    }


async def test_a_colleague_without_the_flag_may_add_them(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Colin, whose membership does not apply restrictions
    world = await shop(session)
    token = await client.login("colin", PASSWORD)
    cart_id = (await client.execute(CREATE_CART, token=token))["createCart"]["cart"]["id"]

    # when he adds the listed product and the restricted commodity
    data = await client.execute(
        ADD_LINES, add_input(cart_id, [world.listed, world.commodity]), token=token
    )

    # then both are his to buy
    assert data["addCartLines"] == {
        "cart": {"lines": [{"sku": "LISTED", "quantity": 1}, {"sku": "COMMODITY", "quantity": 1}]},
        "errors": [],
    }


async def test_updating_a_restricted_line_is_refused(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Rita's cart holding a plain and a listed line (put there before the list applied)
    world = await shop(session)
    cart = await make_cart(
        session,
        account=world.account,
        contact=world.rita,
        lines=[(world.plain, 1, "5.00"), (world.listed, 1, "5.00")],
    )
    token = await client.login("rita", PASSWORD)
    cart_id = gid("Cart", cart.id)
    line_ids = [
        line["id"]
        for line in (await client.execute(LINE_IDS, {"id": cart_id}, token=token))["cart"]["lines"]
    ]

    # when she changes both quantities
    data = await client.execute(
        UPDATE_LINES,
        {
            "input": {
                "cartId": cart_id,
                "lines": [
                    {"lineId": line_ids[0], "quantity": 2},
                    {"lineId": line_ids[1], "quantity": 3},
                ],
            }
        },
        token=token,
    )
    after = await client.execute(LINES, {"id": cart_id}, token=token)

    # then the listed line is refused and neither quantity changes
    assert data["updateCartLines"] == {
        "cart": None,
        "errors": [
            {"field": ["lines", "1", "productId"], "code": "NOT_PERMITTED", "message": RESTRICTED},
        ],
    }
    assert after == {
        "cart": {"lines": [{"sku": "PLAIN", "quantity": 1}, {"sku": "LISTED", "quantity": 1}]}
    }


async def test_a_commodity_is_restricted_only_for_the_customers_whose_list_names_it(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given two accounts whose shoppers both have "restricted products apply", a tobacco
    # product, and staff
    prices = {"A": "5.00"}
    cigar = await make_product(session, sku="CIGAR", commodity="TOBACCO", level_prices=prices)
    shops = {}
    for username in ("rita", "tess"):
        account = await make_account(session, price_level="A")
        await make_contact(
            session,
            account=account,
            username=username,
            membership={"restricted_products_apply": True},
        )
        shops[username] = account
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    staff = await client.login("service", PASSWORD)
    restrict = """mutation($input: SetProductRestrictionsInput!) {
      setProductRestrictions(input: $input) {
        restrictedProducts { sku } restrictedCommodities errors { field code message } } }"""

    # when staff put tobacco on Rita's account's list (and send a bad list for Tess's), and
    # each shopper tries to buy a cigar
    listed = await client.execute(
        restrict,
        {
            "input": {
                "accountId": gid("Account", shops["rita"].id),
                "skus": [],
                "commodities": [" tobacco", "TOBACCO"],
            }
        },
        token=staff,
    )
    bad = await client.execute(
        restrict,
        {
            "input": {
                "accountId": gid("Account", shops["tess"].id),
                "skus": ["GHOST"],
                "commodities": ["no good"],
            }
        },
        token=staff,
    )
    added = {}
    for username in ("rita", "tess"):
        token = await client.login(username, PASSWORD)
        cart_id = (await client.execute(CREATE_CART, token=token))["createCart"]["cart"]["id"]
        added[username] = await client.execute(ADD_LINES, add_input(cart_id, [cigar]), token=token)

    # then only Rita's account restricts tobacco; the bad list changed nothing for Tess
    assert listed["setProductRestrictions"] == {
        "restrictedProducts": [],
        "restrictedCommodities": ["TOBACCO"],
        "errors": [],
    }
    assert bad["setProductRestrictions"]["errors"] == [
        {
            "field": ["commodities", "0"],
            "code": "INVALID",
            "message": "commodity may hold only letters, digits and . _ / -",
        },
        {"field": ["skus", "0"], "code": "NOT_FOUND", "message": "No product with SKU GHOST"},
    ]
    assert added["rita"]["addCartLines"] == {
        "cart": None,
        "errors": [
            {"field": ["lines", "0", "productId"], "code": "NOT_PERMITTED", "message": RESTRICTED}
        ],
    }
    assert added["tess"]["addCartLines"] == {
        "cart": {"lines": [{"sku": "CIGAR", "quantity": 1}]},
        "errors": [],
    }
