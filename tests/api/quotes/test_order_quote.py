"""orderQuote: an accepted, unexpired quote becomes an order at its prices through checkout's
rules, approvals included; an expired one cannot; repeats and races make one order."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from domain.enums import ExportKind, MembershipRole
from models import AccountMembership, ErpExport, Order, Quote
from tests.api.quotes.world import ORDER, READ, World, answer, arrange, sent, set_level_price
from tests.factories import PASSWORD, make_account, make_contact
from tests.graphql_client import GraphQLClient, gid

APPROVE = """
mutation Approve($input: ApproveCartInput!) {
  approveCart(input: $input) { order { number total } errors { field code message } }
}
"""
ORDER_QUOTE = """
query OrderQuote($id: ID!) { node(id: $id) { ... on Order { quote { number status } } } }
"""


REJECT = """
mutation Reject($input: RejectCartInput!) {
  rejectCart(input: $input) { cart { status } errors { field code message } }
}
"""


async def waiting_for_joe(client: GraphQLClient, session: AsyncSession) -> tuple[World, str]:
    """The world, with Mary's carts going to her approver Joe (approve assigned); and Joe's
    token."""
    world = await arrange(client, session)
    joe = await make_contact(
        session,
        account=world.account,
        username="joe",
        name="Joe",
        role=MembershipRole.APPROVER,
        membership={"approve_assigned": True},
    )
    await session.execute(
        update(AccountMembership)
        .where(col(AccountMembership.contact_id) == world.mary.id)
        .values(cart_approver_id=joe.id)
    )
    await session.commit()
    return world, await client.login("joe", PASSWORD)


async def accepted(client: GraphQLClient, world: World, **prices: str) -> dict[str, Any]:
    quote = await sent(client, world, **prices)
    assert (await answer(client, world.mary_token, "accept", quote["id"]))["errors"] == []
    return quote


def order_input(quote: dict[str, Any], **values: Any) -> dict[str, Any]:
    return {"input": {"id": quote["id"], "paymentType": "ON_ACCOUNT", **values}}


async def count_orders(session: AsyncSession) -> int:
    await session.rollback()  # a fresh snapshot, not the one of the test's last read
    return int(await session.scalar(select(func.count()).select_from(Order)) or 0)


async def test_an_accepted_quote_is_ordered_at_its_prices_not_todays(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a quote accepted at PIPE 9.00 less 10 %, and PIPE at 12.00 today
    world = await arrange(client, session)
    quote = await accepted(client, world, pipe_price="9.00", discount="10")
    await set_level_price(session, world.pipe, "12.00")

    # when Mary orders it
    data = await client.execute(ORDER, order_input(quote), token=world.mary_token)

    # then the order carries the quote's net prices, the quote is ORDERED and names it
    payload = data["orderQuote"]
    assert payload["errors"] == []
    order = payload["order"]
    assert (order["total"], order["status"]) == ("31.50", "PLACED")
    assert order["lines"] == [
        {"sku": "PIPE", "quantity": 3, "unitPrice": "8.10", "lineTotal": "24.30"},
        {"sku": "VALVE", "quantity": 2, "unitPrice": "3.60", "lineTotal": "7.20"},
    ]
    assert payload["quote"] == {"status": "ORDERED", "order": {"number": order["number"]}}
    assert payload["cart"] == {"status": "CHECKED_OUT"}
    read = await client.execute(READ, {"id": quote["id"]}, token=world.mary_token)
    assert [h["action"] for h in read["node"]["history"]["nodes"]][-1] == "ORDER"
    order_row = await session.scalar(select(Order))
    assert order_row is not None
    back = await client.execute(
        ORDER_QUOTE, {"id": gid("Order", order_row.id)}, token=world.mary_token
    )
    assert back["node"]["quote"] == {"number": quote["number"], "status": "ORDERED"}
    kinds = list(await session.scalars(select(col(ErpExport.kind)).order_by(col(ErpExport.id))))
    assert kinds[-2:] == [ExportKind.ORDER, ExportKind.QUOTE]


async def test_an_expired_quote_cannot_be_ordered(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an accepted quote whose last valid day was yesterday
    world = await arrange(client, session)
    quote = await accepted(client, world)
    await session.execute(update(Quote).values(expires_on=date.today() - timedelta(days=1)))
    await session.commit()

    # when Mary orders it
    data = await client.execute(ORDER, order_input(quote), token=world.mary_token)

    # then it is refused and no order is made
    assert data["orderQuote"]["errors"] == [
        {
            "field": ["id"],
            "code": "QUOTE_EXPIRED",
            "message": "The quote has expired; ask for it again (renegotiateQuote)",
        }
    ]
    assert await count_orders(session) == 0


async def test_only_an_accepted_quote_is_ordered_and_never_as_a_running_quote(
    client: GraphQLClient, session: AsyncSession
) -> None:
    world = await arrange(client, session)
    quote = await sent(client, world)

    not_accepted = await client.execute(ORDER, order_input(quote), token=world.mary_token)
    await answer(client, world.mary_token, "accept", quote["id"])
    as_quote = await client.execute(
        ORDER, order_input(quote, paymentType="RUNNING_QUOTE"), token=world.mary_token
    )

    assert not_accepted["orderQuote"]["errors"] == [
        {
            "field": ["id"],
            "code": "INVALID_TRANSITION",
            "message": "A quote that is SENT cannot be ordered",
        }
    ]
    assert as_quote["orderQuote"]["errors"] == [
        {
            "field": ["paymentType"],
            "code": "INVALID",
            "message": "A quote is ordered with a payment type that pays for it",
        }
    ]
    assert await count_orders(session) == 0


async def test_the_checkout_rules_apply_to_the_order_of_a_quote(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an accepted 35.00 quote of a shopper whose limit is 30.00
    world = await arrange(client, session, membership={"maximum_approval_value": Decimal("30")})
    quote = await accepted(client, world)

    data = await client.execute(ORDER, order_input(quote), token=world.mary_token)

    assert data["orderQuote"]["errors"] == [
        {
            "field": ["cartId"],
            "code": "LIMIT_EXCEEDED",
            "message": "The cart value is too high: 35.00 is above your limit of 30.00",
        }
    ]
    assert await count_orders(session) == 0
    read = await client.execute(READ, {"id": quote["id"]}, token=world.mary_token)
    assert read["node"]["status"] == "ACCEPTED"


async def test_an_order_needing_approval_waits_and_the_approval_orders_the_quote(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Mary's approver Joe, and Mary's accepted quote
    world, joe_token = await waiting_for_joe(client, session)
    quote = await accepted(client, world)

    # when Mary orders it (twice), then Joe approves the cart
    first = await client.execute(ORDER, order_input(quote), token=world.mary_token)
    again = await client.execute(ORDER, order_input(quote), token=world.mary_token)
    cart = await session.scalar(select(col(Quote.order_cart_id)))
    approved = await client.execute(
        APPROVE, {"input": {"cartId": gid("Cart", cart)}}, token=joe_token
    )

    # then the cart waited (once) for Joe, and his approval made the order at the quote's prices
    assert (
        first["orderQuote"]["cart"] == again["orderQuote"]["cart"] == {"status": "PENDING_APPROVAL"}
    )
    assert first["orderQuote"]["quote"] == {"status": "ACCEPTED", "order": None}
    assert approved["approveCart"]["errors"] == []
    assert approved["approveCart"]["order"]["total"] == "35.00"
    read = await client.execute(READ, {"id": quote["id"]}, token=world.mary_token)
    assert read["node"]["status"] == "ORDERED"
    assert read["node"]["history"]["nodes"][-1]["actor"] == "Joe"
    assert await count_orders(session) == 1


async def test_a_quote_that_lapses_while_its_cart_waits_is_not_ordered_by_the_approval(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Mary's quote ordered into a cart waiting for Joe, and then its last day passed
    world, joe_token = await waiting_for_joe(client, session)
    quote = await accepted(client, world)
    await client.execute(ORDER, order_input(quote), token=world.mary_token)
    await session.execute(update(Quote).values(expires_on=date.today() - timedelta(days=1)))
    await session.commit()
    cart = await session.scalar(select(col(Quote.order_cart_id)))

    # when Joe approves the cart
    approved = await client.execute(
        APPROVE, {"input": {"cartId": gid("Cart", cart)}}, token=joe_token
    )

    # then the quote's prices no longer hold: no order
    assert approved["approveCart"]["errors"] == [
        {
            "field": ["cartId"],
            "code": "QUOTE_EXPIRED",
            "message": "The quote has expired; ask for it again (renegotiateQuote)",
        }
    ]
    assert await count_orders(session) == 0


async def test_a_cart_the_approver_returns_is_checked_out_again_by_ordering_the_quote(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Mary's quote ordered into a cart that Joe returned to her
    world, joe_token = await waiting_for_joe(client, session)
    quote = await accepted(client, world)
    first = await client.execute(ORDER, order_input(quote), token=world.mary_token)
    cart = await session.scalar(select(col(Quote.order_cart_id)))
    returned = await client.execute(
        REJECT, {"input": {"cartId": gid("Cart", cart), "reason": "Use a PO"}}, token=joe_token
    )

    # when Mary orders the quote again
    again = await client.execute(ORDER, order_input(quote), token=world.mary_token)

    # then the same cart goes to Joe again, at the quote's prices
    assert returned["rejectCart"]["cart"] == {"status": "OPEN"}
    assert (
        first["orderQuote"]["cart"] == again["orderQuote"]["cart"] == {"status": "PENDING_APPROVAL"}
    )
    await session.rollback()
    assert await session.scalar(select(col(Quote.order_cart_id))) == cart
    assert await count_orders(session) == 0


async def test_ordering_again_gives_back_the_first_order(
    client: GraphQLClient, session: AsyncSession
) -> None:
    world = await arrange(client, session)
    quote = await accepted(client, world)

    first = await client.execute(ORDER, order_input(quote), token=world.mary_token)
    second = await client.execute(ORDER, order_input(quote), token=world.mary_token)

    assert second["orderQuote"] == first["orderQuote"]
    assert first["orderQuote"]["errors"] == []
    assert await count_orders(session) == 1


async def test_concurrent_orders_of_one_quote_make_one_order(
    client: GraphQLClient, session: AsyncSession
) -> None:
    world = await arrange(client, session)
    quote = await accepted(client, world)

    results = await asyncio.gather(
        *(client.execute(ORDER, order_input(quote), token=world.mary_token) for _ in range(2))
    )

    assert [r["orderQuote"]["errors"] for r in results] == [[], []]
    numbers = {r["orderQuote"]["order"]["number"] for r in results}
    assert len(numbers) == 1
    assert await count_orders(session) == 1


async def test_another_accounts_contact_cannot_order_the_quote(
    client: GraphQLClient, session: AsyncSession
) -> None:
    world = await arrange(client, session)
    quote = await accepted(client, world)
    other = await make_account(session, code="XYZ9", payment_types=["ON_ACCOUNT"])
    await make_contact(session, account=other, username="olga")
    olga = await client.login("olga", PASSWORD)

    data = await client.execute(ORDER, order_input(quote), token=olga)

    assert data["orderQuote"]["errors"] == [
        {"field": ["id"], "code": "NOT_FOUND", "message": "No such quote"}
    ]
    assert await count_orders(session) == 0
