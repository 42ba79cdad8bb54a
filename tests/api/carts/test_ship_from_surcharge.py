"""Cart.checkoutPreview and checkoutCart: the order ships from the account's primary location
and adds that location's surcharge (seed 003 "Customer Account Locations", issue #6)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import CreditAction, SurchargeKind
from models import Cart, Location
from tests.factories import (
    PASSWORD,
    make_account,
    make_cart,
    make_contact,
    make_location,
    make_product,
)
from tests.graphql_client import GraphQLClient, gid

PREVIEW = """
query Preview($id: ID!) {
  cart(id: $id) {
    checkoutPreview { outcome subtotal surcharge total shipFrom { code } errors { code } }
  }
}
"""
CHECKOUT = """
mutation Checkout($input: CheckoutCartInput!) {
  checkoutCart(input: $input) {
    order { id subtotal surcharge total shipFrom { code } }
    errors { field code message }
  }
}
"""
ORDER = "query Order($id: ID!) { order(id: $id) { subtotal surcharge total shipFrom { code } } }"


async def arrange(
    session: AsyncSession, *, locations: list[tuple[str, bool, dict[str, Any]]], **account: Any
) -> Cart:
    """A shopper's 200.00 cart at an account with the (code, is primary, surcharge) locations."""
    buyer = await make_account(session, payment_types=["ON_ACCOUNT"], **account)
    shopper = await make_contact(session, account=buyer, username="shopper")
    product = await make_product(session, level_prices={"A": "20.00"})
    for code, primary, surcharge in locations:
        await make_location(session, code=code, accounts=[(buyer, primary)], **surcharge)
    return await make_cart(session, account=buyer, contact=shopper, lines=[(product, 10, "20.00")])


def percent(value: str) -> dict[str, Any]:
    return {"surcharge_kind": SurchargeKind.PERCENT, "surcharge_value": Decimal(value)}


def fixed(value: str) -> dict[str, Any]:
    return {"surcharge_kind": SurchargeKind.FIXED, "surcharge_value": Decimal(value)}


def on_account(cart: Cart) -> dict[str, Any]:
    return {"input": {"cartId": gid("Cart", cart.id), "paymentType": "ON_ACCOUNT"}}


async def test_the_order_ships_from_the_primary_location_with_its_surcharge(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an account served from NORTH (2.5%) and, primarily, SOUTH (2.25%)
    cart = await arrange(
        session, locations=[("NORTH", False, percent("2.5")), ("SOUTH", True, percent("2.25"))]
    )
    token = await client.login("shopper", PASSWORD)

    # when the shopper previews and checks out
    preview = await client.execute(PREVIEW, {"id": gid("Cart", cart.id)}, token=token)
    data = await client.execute(CHECKOUT, on_account(cart), token=token)

    # then both charge 2.25% of 200.00 from SOUTH
    amounts = {"subtotal": "200.00", "surcharge": "4.50", "total": "204.50"}
    assert preview["cart"]["checkoutPreview"] == {
        "outcome": "ORDER",
        **amounts,
        "shipFrom": {"code": "SOUTH"},
        "errors": [],
    }
    assert data["checkoutCart"]["errors"] == []
    assert data["checkoutCart"]["order"] | {"id": None} == {
        "id": None,
        **amounts,
        "shipFrom": {"code": "SOUTH"},
    }


async def test_the_surcharge_is_frozen_on_the_order(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an order shipped from a location adding 15.00
    cart = await arrange(session, locations=[("DEPOT", True, fixed("15.00"))])
    token = await client.login("shopper", PASSWORD)
    placed = await client.execute(CHECKOUT, on_account(cart), token=token)
    order_id = placed["checkoutCart"]["order"]["id"]

    # when the location's surcharge changes afterwards
    await session.execute(update(Location).values(surcharge_value=Decimal("99.00")))
    await session.commit()
    data = await client.execute(ORDER, {"id": order_id}, token=token)

    # then the order keeps what it was charged
    assert data["order"] == {
        "subtotal": "200.00",
        "surcharge": "15.00",
        "total": "215.00",
        "shipFrom": {"code": "DEPOT"},
    }


async def test_without_a_primary_location_there_is_no_surcharge_or_ship_from(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an account whose only location is not its primary one
    cart = await arrange(session, locations=[("SIDE", False, fixed("15.00"))])
    token = await client.login("shopper", PASSWORD)

    # when the shopper checks out
    data = await client.execute(CHECKOUT, on_account(cart), token=token)

    # then the order is the goods alone
    assert data["checkoutCart"]["order"] | {"id": None} == {
        "id": None,
        "subtotal": "200.00",
        "surcharge": "0.00",
        "total": "200.00",
        "shipFrom": None,
    }


async def test_the_credit_limit_counts_the_surcharge(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an account with 210.00 of credit left that blocks beyond its limit
    cart = await arrange(
        session,
        locations=[("DEPOT", True, fixed("15.00"))],
        balance=Decimal("790.00"),
        balance_limit=Decimal("1000.00"),
        out_of_credit_action=CreditAction.BLOCK,
    )
    token = await client.login("shopper", PASSWORD)

    # when the shopper previews and checks out 200.00 of goods (215.00 with the surcharge)
    preview = await client.execute(PREVIEW, {"id": gid("Cart", cart.id)}, token=token)
    data = await client.execute(CHECKOUT, on_account(cart), token=token)

    # then the surcharge takes the account over its limit
    assert preview["cart"]["checkoutPreview"]["outcome"] == "REFUSED"
    assert data["checkoutCart"] == {
        "order": None,
        "errors": [
            {
                "field": None,
                "code": "BLOCKED",
                "message": "The account is outside its credit limit; ordering is blocked",
            }
        ],
    }
