"""checkoutCart reads and decides before the writer turn (issue #17): the turn holds the writes
alone, and a cart changed between the read and the turn is planned again inside it, so it is
never ordered with the lines it had when it was read. On SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from core.context import Context
from core.unit_of_work import begin_writing
from domain.budgets import OverBudgetAction
from domain.enums import CartEventKind, CartStatus, PaymentType
from models import Cart, CartEvent, CartLine, Contact, Order
from resolvers import checkout
from tests.api.carts.test_checkout_cart import arrange, checkout_input, count_orders
from tests.conftest import StatementCounter
from tests.factories import PASSWORD, make_budget, make_cart, make_contact, make_product
from tests.graphql_client import GraphQLClient, gid

CHECKOUT = """
mutation Checkout($input: CheckoutCartInput!) {
  checkoutCart(input: $input) {
    order { total lines { sku quantity lineTotal } }
    errors { field code message }
  }
}
"""
ADD_LINES = """
mutation Add($input: AddCartLinesInput!) { addCartLines(input: $input) { errors { message } } }
"""
UPDATE_LINES = """
mutation Update($input: UpdateCartLinesInput!) {
  updateCartLines(input: $input) { errors { message } }
}
"""
CHECKED_OUT = [{"field": ["cartId"], "code": "INVALID", "message": "The cart has been checked out"}]


def between_read_and_turn(
    monkeypatch: pytest.MonkeyPatch, change: Callable[[], Awaitable[dict[str, Any]]]
) -> list[dict[str, Any]]:
    """Run `change` (another request, to its commit) once, when a checkout has read and decided
    and is about to take its writer turn; its answer lands in the returned list."""
    answers: list[dict[str, Any]] = []

    async def change_then_take_turn(context: Context) -> None:
        monkeypatch.setattr(checkout, "begin_writing", begin_writing)
        answers.append(await change())
        await begin_writing(context)

    monkeypatch.setattr(checkout, "begin_writing", change_then_take_turn)
    return answers


def line_change(
    client: GraphQLClient, token: str, cart: Cart, mutation: str, lines: list[dict[str, Any]]
) -> Callable[[], Awaitable[dict[str, Any]]]:
    """The shopper's line mutation of the cart, to send later."""
    return lambda: client.execute(
        mutation, {"input": {"cartId": gid("Cart", cart.id), "lines": lines}}, token=token
    )


async def cart_line(session: AsyncSession, cart: Cart) -> CartLine:
    line = await session.scalar(select(CartLine).where(col(CartLine.cart_id) == cart.id))
    assert line is not None
    return line


async def test_a_line_added_between_the_read_and_the_turn_is_ordered(
    client: GraphQLClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a cart of 3 x 10.00, and another product
    token, cart, _ = await arrange(client, session)
    valve = await make_product(session, sku="VALVE", level_prices={"A": "5.00"})
    await session.commit()

    # when a line of 2 valves is added after the checkout read the cart, before its turn
    lines = [{"productId": gid("Product", valve.id), "quantity": 2}]
    added = between_read_and_turn(monkeypatch, line_change(client, token, cart, ADD_LINES, lines))
    data = await client.execute(CHECKOUT, checkout_input(cart, PaymentType.ON_ACCOUNT), token=token)

    # then the order has both lines: it was planned again on the cart as it is now
    assert added == [{"addCartLines": {"errors": []}}]
    assert data["checkoutCart"] == {
        "order": {
            "total": "40.00",
            "lines": [
                {"sku": "PIPE", "quantity": 3, "lineTotal": "30.00"},
                {"sku": "VALVE", "quantity": 2, "lineTotal": "10.00"},
            ],
        },
        "errors": [],
    }
    assert await count_orders(session) == 1


async def test_a_quantity_changed_between_the_read_and_the_turn_is_ordered(
    client: GraphQLClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a cart of 3 x 10.00
    token, cart, _ = await arrange(client, session)
    line = await cart_line(session, cart)

    # when its quantity becomes 5 after the checkout read the cart, before its turn
    changes = [{"lineId": gid("CartLine", line.id), "quantity": 5}]
    changed = between_read_and_turn(
        monkeypatch, line_change(client, token, cart, UPDATE_LINES, changes)
    )
    data = await client.execute(CHECKOUT, checkout_input(cart, PaymentType.ON_ACCOUNT), token=token)

    # then the order is of 5, never of the 3 it read
    assert changed == [{"updateCartLines": {"errors": []}}]
    assert data["checkoutCart"]["order"] == {
        "total": "50.00",
        "lines": [{"sku": "PIPE", "quantity": 5, "lineTotal": "50.00"}],
    }
    await session.commit()  # the test's own read snapshot began before the checkout
    order = await session.scalar(select(Order))
    assert order is not None and order.total == Decimal("50.00")


async def test_a_cart_checked_out_between_the_read_and_the_turn_is_refused(
    client: GraphQLClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a cart
    token, cart, _ = await arrange(client, session)
    request = checkout_input(cart, PaymentType.ON_ACCOUNT)

    # when another checkout of it commits after this one read it, before its turn
    other = between_read_and_turn(
        monkeypatch, lambda: client.execute(CHECKOUT, request, token=token)
    )
    data = await client.execute(CHECKOUT, request, token=token)

    # then the other one ordered it and this one is told it is checked out
    assert other[0]["checkoutCart"]["errors"] == []
    assert data["checkoutCart"] == {"order": None, "errors": CHECKED_OUT}
    assert await count_orders(session) == 1


async def test_one_key_repeated_between_the_read_and_the_turn_gives_the_first_answer(
    client: GraphQLClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    token, cart, _ = await arrange(client, session)
    request = checkout_input(cart, PaymentType.ON_ACCOUNT, idempotencyKey="turn-1")

    first = between_read_and_turn(
        monkeypatch, lambda: client.execute(CHECKOUT, request, token=token)
    )
    repeat = await client.execute(CHECKOUT, request, token=token)

    assert repeat == first[0]
    assert repeat["checkoutCart"]["errors"] == []
    assert await count_orders(session) == 1


async def race_for_the_budget(
    client: GraphQLClient,
    session: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
    **budget: Any,
) -> tuple[str, Cart, list[dict[str, Any]], dict[str, Any]]:
    """The shopper's checkout of a 30.00 cart against a 50.00 budget (with `budget`'s other
    settings), while another shopper's 30.00 cart is ordered between its read and its turn:
    (shopper's token, its cart, the other checkout's answer, this checkout's answer)."""
    token, cart, account = await arrange(client, session)
    await make_budget(session, account=account, amount="50.00", **budget)
    kim = await make_contact(session, account=account, username="kim")
    product = await make_product(session, level_prices={"A": "10.00"})
    other = await make_cart(session, account=account, contact=kim, lines=[(product, 3, "10.00")])
    await session.commit()
    kims_token = await client.login("kim", PASSWORD)
    ordered = between_read_and_turn(
        monkeypatch,
        lambda: client.execute(
            CHECKOUT, checkout_input(other, PaymentType.ON_ACCOUNT), token=kims_token
        ),
    )
    data = await client.execute(CHECKOUT, checkout_input(cart, PaymentType.ON_ACCOUNT), token=token)
    return token, cart, ordered, data


async def test_a_budget_spent_between_the_read_and_the_turn_refuses_in_the_turn(
    client: GraphQLClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a blocking budget of 50.00, this cart of 30.00 and another shopper's of 30.00;
    # when the other cart is ordered after this checkout read the budget, before its turn
    token, cart, ordered, data = await race_for_the_budget(client, session, monkeypatch)

    # then this one is refused by the budget as it stands in the turn, and its claim undone
    assert ordered[0]["checkoutCart"]["errors"] == []
    assert data["checkoutCart"] == {
        "order": None,
        "errors": [
            {
                "field": ["cartId"],
                "code": "OVER_BUDGET",
                "message": "The cart is over budget: 20.00 of 50.00 is left",
            }
        ],
    }
    assert await count_orders(session) == 1
    status = await session.scalar(select(col(Cart.status)).where(col(Cart.id) == cart.id))
    assert status is CartStatus.OPEN
    # and the cart can be checked out once it fits the budget
    line = await cart_line(session, cart)
    await session.commit()
    changes = [{"lineId": gid("CartLine", line.id), "quantity": 2}]
    await line_change(client, token, cart, UPDATE_LINES, changes)()
    again = await client.execute(
        CHECKOUT, checkout_input(cart, PaymentType.ON_ACCOUNT), token=token
    )
    assert again["checkoutCart"]["errors"] == []


async def test_a_budget_spent_between_the_read_and_the_turn_sends_the_cart_for_approval(
    client: GraphQLClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a budget of 50.00 that asks for approval, this cart of 30.00 and another of 30.00;
    # when the other cart is ordered after this checkout planned an order, before its turn
    _token, cart, ordered, data = await race_for_the_budget(
        client, session, monkeypatch, over_budget_action=OverBudgetAction.REQUIRE_APPROVAL
    )

    # then the decision in the turn holds: the cart waits for approval (not checked out, as the
    # claim had it), with no order of its own
    assert ordered[0]["checkoutCart"]["errors"] == []
    assert data["checkoutCart"] == {"order": None, "errors": []}
    assert await count_orders(session) == 1
    stored = await session.execute(
        select(col(Cart.status), col(Cart.payment_type)).where(col(Cart.id) == cart.id)
    )
    assert stored.one() == (CartStatus.PENDING_APPROVAL, PaymentType.ON_ACCOUNT)
    kinds = await session.scalars(
        select(col(CartEvent.kind)).where(col(CartEvent.cart_id) == cart.id)
    )
    assert CartEventKind.SUBMITTED_FOR_APPROVAL in list(kinds)


async def test_checkouts_beside_other_mutations_in_one_document(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given two carts of one shopper
    token, cart, account = await arrange(client, session)
    shopper = await session.scalar(select(Contact).where(col(Contact.username) == "shopper"))
    assert shopper is not None
    product = await make_product(session, level_prices={"A": "1.00"})
    second = await make_cart(
        session, account=account, contact=shopper, lines=[(product, 1, "1.00")]
    )
    await session.commit()

    # when one document checks out both, and another checks out one beside another mutation
    both = await client.execute(
        """mutation Both($a: CheckoutCartInput!, $b: CheckoutCartInput!) {
          a: checkoutCart(input: $a) { order { total } errors { message } }
          b: checkoutCart(input: $b) { order { total } errors { message } }
        }""",
        {
            "a": checkout_input(cart, PaymentType.ON_ACCOUNT)["input"],
            "b": checkout_input(second, PaymentType.ON_ACCOUNT)["input"],
        },
        token=token,
    )
    mixed = await client.execute(
        """mutation Mixed($a: CheckoutCartInput!) {
          a: checkoutCart(input: $a) { errors { message } }
          createCart(input: {}) { cart { status } }
        }""",
        {"a": checkout_input(cart, PaymentType.ON_ACCOUNT)["input"]},
        token=token,
    )

    # then both orders are made; the repeat is refused and the new cart made
    assert both == {
        "a": {"order": {"total": "30.00"}, "errors": []},
        "b": {"order": {"total": "1.00"}, "errors": []},
    }
    assert mixed == {
        "a": {"errors": [{"message": "The cart has been checked out"}]},
        "createCart": {"cart": {"status": "OPEN"}},
    }
    assert await count_orders(session) == 2


async def test_concurrent_checkouts_of_distinct_carts_all_order(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given six shoppers' carts at one account
    token, cart, account = await arrange(client, session)
    product = await make_product(session, level_prices={"A": "2.00"})
    others = []
    for n in range(5):
        shopper = await make_contact(session, account=account, username=f"turn{n}")
        others.append(
            await make_cart(
                session, account=account, contact=shopper, lines=[(product, n + 1, "2.00")]
            )
        )
    await session.commit()
    tokens = [token] + [await client.login(f"turn{n}", PASSWORD) for n in range(5)]

    # when all six check out at once
    results = await asyncio.gather(
        *(
            client.execute(CHECKOUT, checkout_input(c, PaymentType.ON_ACCOUNT), token=t)
            for c, t in zip([cart, *others], tokens, strict=True)
        )
    )

    # then each is ordered with its own lines
    assert [r["checkoutCart"]["errors"] for r in results] == [[]] * 6
    assert [r["checkoutCart"]["order"]["total"] for r in results] == [
        "30.00",
        "2.00",
        "4.00",
        "6.00",
        "8.00",
        "10.00",
    ]
    assert await count_orders(session) == 6


async def test_the_turn_holds_the_writes_alone(
    client: GraphQLClient, session: AsyncSession, sql_counter: StatementCounter
) -> None:
    # given a cart
    token, cart, _ = await arrange(client, session)

    # when it is checked out
    sql_counter.reset()
    data = await client.execute(CHECKOUT, checkout_input(cart, PaymentType.ON_ACCOUNT), token=token)

    # then the cart, its lines, the account, memberships, products and addresses were read once,
    # before the claim; from the claim on the turn writes, reading only what must be current
    # (the webhook endpoints, the account's last export) and the payload's order lines; the
    # claim sets the cart's new status, so no second UPDATE of the cart follows it
    assert data["checkoutCart"]["errors"] == []
    statements = [" ".join(s.split()).upper() for s in sql_counter.statements]
    claim = next(i for i, s in enumerate(statements) if "CART.UPDATED_AT = " in s)
    before, in_turn = statements[:claim], statements[claim:]
    assert [_table_read(s) for s in before].count("CART") == 1
    assert [_table_read(s) for s in before].count("CART_LINE") == 1
    assert [_table_read(s) for s in in_turn if s.startswith("SELECT")] == [
        "WEBHOOK_ENDPOINT",
        "ERP_EXPORT",
        "ORDER_LINE",
    ]
    assert [s for s in in_turn if s.startswith("UPDATE CART ")] == [statements[claim]]
    assert "STATUS=" in statements[claim]
    assert len(in_turn) == 9
    assert len(statements) == 20


def _table_read(statement: str) -> str | None:
    """The first table a SELECT reads from."""
    if not statement.startswith("SELECT") or " FROM " not in statement:
        return None
    return statement.split(" FROM ", 1)[1].split()[0].strip('"')
