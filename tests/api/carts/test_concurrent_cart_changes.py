"""Cart changes racing each other: each request has its own session and transaction (the ASGI app
opens one per request), so on PostgreSQL they interleave unless the cart is locked. None may be
lost: the final quantities and total are exactly what the accepted requests asked."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models import Cart, CartLine
from schema.relay import decode_global_id
from tests.api.carts.test_cart_lines import ADD_LINES, REMOVE_LINES, UPDATE_LINES, shopper_cart
from tests.factories import make_product
from tests.graphql_client import GraphQLClient, gid

CONCURRENT = 50


async def stored_cart(session: AsyncSession, cart_id: str) -> tuple[Decimal, dict[int, int]]:
    """The cart's stored total and its lines' quantities by product (columns, not rows, so
    nothing comes from the session's identity map)."""
    key = int(decode_global_id(cart_id)[1])
    total = await session.scalar(select(col(Cart.total)).where(col(Cart.id) == key))
    lines = await session.execute(
        select(col(CartLine.product_id), col(CartLine.quantity)).where(col(CartLine.cart_id) == key)
    )
    assert total is not None
    return total, {product_id: quantity for product_id, quantity in lines.all()}


def add(cart_id: str, product_id: int | None, quantity: int = 1) -> dict[str, object]:
    return {
        "input": {
            "cartId": cart_id,
            "lines": [{"productId": gid("Product", product_id), "quantity": quantity}],
        }
    }


async def test_concurrent_additions_to_one_line_all_count(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a shopper's cart holding one bolt at 2.00 (less the account's 10% = 1.80)
    token, cart_id, _ = await shopper_cart(client, session)
    bolt = await make_product(session, level_prices={"A": "2.00"})
    await client.execute(ADD_LINES, add(cart_id, bolt.id), token=token)

    # when 50 requests each add one more bolt at the same time
    results = await asyncio.gather(
        *(client.execute(ADD_LINES, add(cart_id, bolt.id), token=token) for _ in range(CONCURRENT))
    )

    # then every one was accepted and counted: 51 bolts, priced 51 x 1.80
    assert [r["addCartLines"]["errors"] for r in results] == [[]] * CONCURRENT
    assert await stored_cart(session, cart_id) == (Decimal("91.80"), {bolt.id: CONCURRENT + 1})


async def test_concurrent_changes_of_different_lines_keep_the_total_exact(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a cart with ten lines of one unit at 1.00 each (0.90 after discount)
    token, cart_id, _ = await shopper_cart(client, session)
    products = [await make_product(session, level_prices={"A": "1.00"}) for _ in range(20)]
    kept, added = products[:10], products[10:]
    for product in kept:
        await client.execute(ADD_LINES, add(cart_id, product.id), token=token)
    line_ids = {
        line["sku"]: line["id"]
        for line in (
            await client.execute(
                "query Cart($id: ID!) { cart(id: $id) { lines { id sku } } }",
                {"id": cart_id},
                token=token,
            )
        )["cart"]["lines"]
    }

    # when, all at once, five lines are set to 3 units, five are removed and ten are added
    updates = [
        client.execute(
            UPDATE_LINES,
            {"input": {"cartId": cart_id, "lines": [{"lineId": line_ids[p.sku], "quantity": 3}]}},
            token=token,
        )
        for p in kept[:5]
    ]
    removals = [
        client.execute(
            REMOVE_LINES, {"input": {"cartId": cart_id, "lineIds": [line_ids[p.sku]]}}, token=token
        )
        for p in kept[5:]
    ]
    additions = [client.execute(ADD_LINES, add(cart_id, p.id), token=token) for p in added]
    results = await asyncio.gather(*updates, *removals, *additions)

    # then every change is there and the total is the sum of the lines: 5 x 2.70 + 10 x 0.90
    assert [next(iter(r.values()))["errors"] for r in results] == [[]] * 20
    expected = {p.id: 3 for p in kept[:5]} | {p.id: 1 for p in added}
    assert await stored_cart(session, cart_id) == (Decimal("22.50"), expected)
