"""`Viewer.orders(filter:, sortBy:)` and the carts' `filter: {status}`: one filter input and one
ordering, as every other connection takes them."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from domain.checkout import order_number
from domain.enums import CartStatus, OrderStatus
from models import Order
from schema.relay import decode_id_of
from tests.api.orders.test_orders import place_orders, served_from_a_depot
from tests.factories import PASSWORD, make_account, make_cart, make_contact
from tests.graphql_client import GraphQLClient

ORDERS = """
query Orders($filter: OrderFilter, $sortBy: OrderSortBy) {
  viewer { orders(filter: $filter, sortBy: $sortBy) { totalCount nodes { number poNumber } } }
}
"""
CARTS = """
query Carts($filter: CartFilter) { viewer { carts(filter: $filter) { totalCount nodes { name } } } }
"""


async def three_orders(client: GraphQLClient, session: AsyncSession) -> tuple[str, list[int]]:
    """A shopper's three orders: PO-A on 1 March, PO-B held on 2 March, PO-AB on 3 March, with
    totals 30, 10, 20; the shopper's token and the order ids."""
    account = await make_account(session)
    await served_from_a_depot(session, account)
    shopper = await make_contact(session, account=account, username="shopper")
    placed = await place_orders(client, session, account, shopper, 3)
    ids = [key for key in (decode_id_of(i, "Order") for i in placed) if key is not None]
    for order_id, po, day, status, total in zip(
        ids,
        ("PO-A", "PO-B", "PO-AB"),
        (1, 2, 3),
        (OrderStatus.PLACED, OrderStatus.ON_HOLD, OrderStatus.PLACED),
        ("30.00", "10.00", "20.00"),
        strict=True,
    ):
        await session.execute(
            update(Order)
            .where(col(Order.id) == order_id)
            .values(
                po_number=po,
                status=status,
                total=Decimal(total),
                created_at=datetime(2026, 3, day, 12, tzinfo=UTC),
            )
        )
    await session.commit()
    return await client.login("shopper", PASSWORD), ids


async def test_viewer_orders_filter_by_status_dates_number_and_po(
    client: GraphQLClient, session: AsyncSession
) -> None:
    token, ids = await three_orders(client, session)

    async def numbers(filter: dict[str, object]) -> list[str]:
        data = await client.execute(ORDERS, {"filter": filter}, token=token)
        orders = data["viewer"]["orders"]
        assert orders["totalCount"] == len(orders["nodes"])
        return [node["poNumber"] for node in orders["nodes"]]

    assert await numbers({}) == ["PO-AB", "PO-B", "PO-A"]
    assert await numbers({"status": ["ON_HOLD"]}) == ["PO-B"]
    assert await numbers({"createdAt": {"start": "2026-03-02"}}) == ["PO-AB", "PO-B"]
    assert await numbers({"createdAt": {"start": "2026-03-01", "end": "2026-03-02"}}) == [
        "PO-B",
        "PO-A",
    ]
    assert await numbers({"search": "po-a"}) == ["PO-AB", "PO-A"]
    assert await numbers({"search": order_number(ids[1])}) == ["PO-B"]
    assert await numbers({"search": "WEB99999999999"}) == []
    assert await numbers({"status": ["PLACED"], "search": "AB"}) == ["PO-AB"]


async def test_viewer_orders_sort_by_total_or_number(
    client: GraphQLClient, session: AsyncSession
) -> None:
    token, _ = await three_orders(client, session)

    async def sorted_by(field: str, direction: str) -> list[str]:
        data = await client.execute(
            ORDERS, {"sortBy": {"field": field, "direction": direction}}, token=token
        )
        return [node["poNumber"] for node in data["viewer"]["orders"]["nodes"]]

    assert await sorted_by("TOTAL", "DESC") == ["PO-A", "PO-AB", "PO-B"]
    assert await sorted_by("TOTAL", "ASC") == ["PO-B", "PO-AB", "PO-A"]
    assert await sorted_by("NUMBER", "ASC") == ["PO-A", "PO-B", "PO-AB"]
    assert await sorted_by("CREATED_AT", "ASC") == ["PO-A", "PO-B", "PO-AB"]


async def test_viewer_carts_filter_by_any_of_several_statuses(
    client: GraphQLClient, session: AsyncSession
) -> None:
    account = await make_account(session)
    shopper = await make_contact(session, account=account, username="shopper")
    for name, status in (
        ("open", CartStatus.OPEN),
        ("waiting", CartStatus.PENDING_APPROVAL),
        ("ordered", CartStatus.CHECKED_OUT),
    ):
        await make_cart(session, account=account, contact=shopper, name=name, status=status)
    token = await client.login("shopper", PASSWORD)

    async def names(filter: dict[str, object] | None) -> set[str]:
        data = await client.execute(CARTS, {"filter": filter}, token=token)
        carts = data["viewer"]["carts"]
        assert carts["totalCount"] == len(carts["nodes"])
        return {node["name"] for node in carts["nodes"]}

    assert await names(None) == {"open", "waiting", "ordered"}
    assert await names({"status": ["OPEN", "PENDING_APPROVAL"]}) == {"open", "waiting"}
    assert await names({"status": "CHECKED_OUT"}) == {"ordered"}
