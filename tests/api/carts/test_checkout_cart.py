"""checkoutCart: the rule's outcomes through the API, idempotency keys and concurrent checkouts."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import CreditAction, PaymentTermsKind, PaymentType, WorkerRole
from models import Account, Cart, Order, PlatformSetting, Session
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

CHECKOUT = """
mutation Checkout($input: CheckoutCartInput!) {
  checkoutCart(input: $input) {
    cart { status }
    order {
      id status paymentType paymentReference paymentTermsKind paymentTermsValue total
      shipTo { line1 city }
      lines { sku productName quantity unitPrice lineTotal }
      createdByContact { name }
      createdByWorker { username }
    }
    warnings { code message }
    bankDetails { accountName bsb accountNumber }
    errors { field code message }
  }
}
"""
CHECKOUT_AS_QUOTE = """
mutation Checkout($input: CheckoutCartInput!) {
  checkoutCart(input: $input) {
    cart { status }
    order { id }
    quote { status lines { sku quantity } }
    errors { field code message }
  }
}
"""
PREVIEW = """
query Preview($id: ID!) {
  cart(id: $id) {
    checkoutPreview {
      outcome allowedPaymentTypes warnings { code message } errors { field code message }
    }
  }
}
"""
HISTORY = """
query History($id: ID!) { cart(id: $id) { status history { nodes { kind contact { name } } } } }
"""


async def arrange(
    client: GraphQLClient,
    session: AsyncSession,
    *,
    membership: dict[str, Any] | None = None,
    **account_values: Any,
) -> tuple[str, Cart, Account]:
    """A shopper's cart of 3 x 10.00 at an account with a primary address."""
    account = await make_account(
        session,
        payment_types=[t.value for t in PaymentType],
        payment_terms_kind=PaymentTermsKind.GIVEN_NUMBER_OF_DAYS,
        payment_terms_value=30,
        **account_values,
    )
    await make_address(session, account=account, line1="1 Main Street", is_primary=True)
    shopper = await make_contact(
        session, account=account, username="shopper", name="Sam Shopper", membership=membership
    )
    product = await make_product(session, sku="PIPE", name="Pipe", level_prices={"A": "10.00"})
    cart = await make_cart(session, account=account, contact=shopper, lines=[(product, 3, "10.00")])
    token = await client.login("shopper", PASSWORD)
    return token, cart, account


def checkout_input(cart: Cart, payment_type: PaymentType, **values: Any) -> dict[str, Any]:
    return {"input": {"cartId": gid("Cart", cart.id), "paymentType": payment_type.name, **values}}


async def count_orders(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Order)) or 0)


async def test_an_order_freezes_the_cart_and_closes_it(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a shopper's cart at an account paying on 30 days' terms
    token, cart, _ = await arrange(client, session)

    # when the shopper checks out on account
    data = await client.execute(CHECKOUT, checkout_input(cart, PaymentType.ON_ACCOUNT), token=token)
    history = await client.execute(HISTORY, {"id": gid("Cart", cart.id)}, token=token)

    # then the order copies the cart, ships to the primary address, and follows the terms
    payload = data["checkoutCart"]
    assert payload["errors"] == []
    assert payload["cart"] == {"status": "CHECKED_OUT"}
    assert payload["order"] | {"id": None} == {
        "id": None,
        "status": "PLACED",
        "paymentType": "ON_ACCOUNT",
        "paymentReference": None,
        "paymentTermsKind": "GIVEN_NUMBER_OF_DAYS",
        "paymentTermsValue": 30,
        "total": "30.00",
        "shipTo": {"line1": "1 Main Street", "city": "Sydney"},
        "lines": [
            {
                "sku": "PIPE",
                "productName": "Pipe",
                "quantity": 3,
                "unitPrice": "10.00",
                "lineTotal": "30.00",
            }
        ],
        "createdByContact": {"name": "Sam Shopper"},
        "createdByWorker": None,
    }
    assert payload["warnings"] == []
    assert history["cart"] == {
        "status": "CHECKED_OUT",
        "history": {"nodes": [{"kind": "CHECKED_OUT", "contact": {"name": "Sam Shopper"}}]},
    }


async def test_a_blocking_state_refuses_and_changes_nothing(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an account on hold whose action is BLOCK
    token, cart, _ = await arrange(
        client, session, is_on_hold=True, on_hold_action=CreditAction.BLOCK
    )

    # when the shopper checks out
    data = await client.execute(CHECKOUT, checkout_input(cart, PaymentType.ON_ACCOUNT), token=token)

    # then nothing changed
    assert data["checkoutCart"] == {
        "cart": None,
        "order": None,
        "warnings": [],
        "bankDetails": None,
        "errors": [
            {
                "field": None,
                "code": "BLOCKED",
                "message": "The account is on hold; ordering is blocked",
            }
        ],
    }
    assert await count_orders(session) == 0


async def test_a_warning_does_not_stop_the_order(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an account out of terms with action WARN
    token, cart, _ = await arrange(
        client, session, is_out_of_terms=True, out_of_terms_action=CreditAction.WARN
    )

    # when the shopper checks out
    data = await client.execute(CHECKOUT, checkout_input(cart, PaymentType.ON_ACCOUNT), token=token)

    # then the order is placed, with the warning
    assert data["checkoutCart"]["order"]["status"] == "PLACED"
    assert data["checkoutCart"]["warnings"] == [
        {"code": "OUT_OF_TERMS", "message": "The account is out of terms"}
    ]


async def test_out_of_credit_with_card_only_refuses_other_payments_and_previews_it(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an account 5.00 short of its limit, action WARN_CREDIT_CARD_ONLY, and a 30.00 cart
    token, cart, _ = await arrange(
        client,
        session,
        balance=Decimal("995.00"),
        balance_limit=Decimal("1000.00"),
        out_of_credit_action=CreditAction.WARN_CREDIT_CARD_ONLY,
    )
    warning = {
        "code": "OUT_OF_CREDIT",
        "message": "The account is outside its credit limit; "
        "only credit card payments are accepted",
    }

    # when the shopper previews, tries on account, then pays by card
    preview = await client.execute(PREVIEW, {"id": gid("Cart", cart.id)}, token=token)
    refused = await client.execute(
        CHECKOUT, checkout_input(cart, PaymentType.ON_ACCOUNT), token=token
    )
    paid = await client.execute(
        CHECKOUT,
        checkout_input(cart, PaymentType.CREDIT_CARD, paymentReference="auth-123"),
        token=token,
    )

    # then only the card payment goes through
    assert preview["cart"]["checkoutPreview"] == {
        "outcome": "ORDER",
        "allowedPaymentTypes": ["CREDIT_CARD"],
        "warnings": [warning],
        "errors": [],
    }
    assert refused["checkoutCart"]["errors"] == [
        {
            "field": ["paymentType"],
            "code": "NOT_PERMITTED",
            "message": "Only credit card payments are accepted for this account",
        }
    ]
    order = paid["checkoutCart"]["order"]
    assert (order["paymentType"], order["paymentReference"]) == ("CREDIT_CARD", "auth-123")
    assert paid["checkoutCart"]["warnings"] == [warning]


async def test_a_card_payment_needs_its_authorisation(
    client: GraphQLClient, session: AsyncSession
) -> None:
    token, cart, _ = await arrange(client, session)

    data = await client.execute(CHECKOUT, checkout_input(cart, PaymentType.PAYPAL), token=token)

    assert data["checkoutCart"]["errors"] == [
        {
            "field": ["paymentReference"],
            "code": "REQUIRED",
            "message": "PAYPAL needs a payment reference (a gateway authorisation)",
        }
    ]


async def test_direct_deposit_tells_where_to_pay(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given the bank details in the settings
    token, cart, _ = await arrange(client, session)
    session.add(
        PlatformSetting(
            section="direct_deposit",
            value={"account_name": "Tradepost Pty Ltd", "bsb": "062-000", "account_number": "1234"},
        )
    )
    await session.commit()

    # when the shopper pays by direct deposit
    data = await client.execute(
        CHECKOUT, checkout_input(cart, PaymentType.DIRECT_DEPOSIT), token=token
    )

    # then the payload carries the bank details
    assert data["checkoutCart"]["bankDetails"] == {
        "accountName": "Tradepost Pty Ltd",
        "bsb": "062-000",
        "accountNumber": "1234",
    }


async def test_a_running_quote_requests_a_quote_and_leaves_the_cart_open(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a held shopper's cart (seed 003 RQ used to flag a held order as a quote)
    token, cart, _ = await arrange(client, session, membership={"hold_orders_created": True})

    # when the shopper checks out with RUNNING_QUOTE
    data = await client.execute(
        CHECKOUT_AS_QUOTE, checkout_input(cart, PaymentType.RUNNING_QUOTE), token=token
    )

    # then a quote is requested instead of an order, and the cart stays open
    assert data["checkoutCart"] == {
        "cart": {"status": "OPEN"},
        "order": None,
        "quote": {"status": "REQUESTED", "lines": [{"sku": "PIPE", "quantity": 3}]},
        "errors": [],
    }
    assert await count_orders(session) == 0


async def test_above_the_maximum_approval_value_the_cart_stays(
    client: GraphQLClient, session: AsyncSession
) -> None:
    token, cart, _ = await arrange(
        client, session, membership={"maximum_approval_value": Decimal("29.99")}
    )

    data = await client.execute(CHECKOUT, checkout_input(cart, PaymentType.ON_ACCOUNT), token=token)
    preview = await client.execute(PREVIEW, {"id": gid("Cart", cart.id)}, token=token)

    error = {
        "field": ["cartId"],
        "code": "LIMIT_EXCEEDED",
        "message": "The cart value is too high: 30.00 is above your limit of 29.99",
    }
    assert data["checkoutCart"]["errors"] == [error]
    assert preview["cart"]["checkoutPreview"]["outcome"] == "REFUSED"
    assert preview["cart"]["checkoutPreview"]["errors"] == [error]


async def test_a_shopper_with_an_approver_submits_the_cart(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a shopper whose carts from 20.00 up need approval
    account = await make_account(session)
    approver = await make_contact(session, account=account)
    token, cart, _ = await arrange(
        client,
        session,
        membership={"cart_approver_id": approver.id, "no_approval_below_value": Decimal("20")},
    )

    # when the shopper checks out a 30.00 cart
    data = await client.execute(CHECKOUT, checkout_input(cart, PaymentType.ON_ACCOUNT), token=token)
    again = await client.execute(
        CHECKOUT, checkout_input(cart, PaymentType.ON_ACCOUNT), token=token
    )

    # then it waits for approval instead of becoming an order, and cannot be checked out again
    assert data["checkoutCart"]["cart"] == {"status": "PENDING_APPROVAL"}
    assert data["checkoutCart"]["order"] is None
    assert again["checkoutCart"]["errors"] == [
        {"field": ["cartId"], "code": "INVALID", "message": "The cart is waiting for approval"}
    ]


async def test_the_same_idempotency_key_gives_the_first_result(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a cart
    token, cart, _ = await arrange(
        client, session, is_out_of_terms=True, out_of_terms_action=CreditAction.WARN
    )
    request = checkout_input(cart, PaymentType.ON_ACCOUNT, idempotencyKey="k-1")

    # when the same checkout is sent twice, then with another payment under the same key
    first = await client.execute(CHECKOUT, request, token=token)
    second = await client.execute(CHECKOUT, request, token=token)
    other = await client.execute(
        CHECKOUT, checkout_input(cart, PaymentType.RUNNING_QUOTE, idempotencyKey="k-1"), token=token
    )

    # then one order, the same answer twice, and the reused key refused
    assert second["checkoutCart"] == first["checkoutCart"]
    assert first["checkoutCart"]["warnings"] != []
    assert other["checkoutCart"]["errors"] == [
        {
            "field": ["idempotencyKey"],
            "code": "INVALID",
            "message": "This idempotency key was used for a different checkout",
        }
    ]
    assert await count_orders(session) == 1


async def test_concurrent_checkouts_of_one_cart_make_one_order(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a cart
    token, cart, _ = await arrange(client, session)

    # when six checkouts of it run at the same time
    results = await asyncio.gather(
        *(
            client.execute(CHECKOUT, checkout_input(cart, PaymentType.ON_ACCOUNT), token=token)
            for _ in range(6)
        )
    )

    # then one made the order and the others were told the cart is checked out
    errors = sorted(str(r["checkoutCart"]["errors"]) for r in results)
    checked_out = {
        "field": ["cartId"],
        "code": "INVALID",
        "message": "The cart has been checked out",
    }
    assert errors == ["[]"] + [str([checked_out])] * 5
    assert await count_orders(session) == 1


async def test_concurrent_repeats_with_one_key_give_one_order_and_one_answer(
    client: GraphQLClient, session: AsyncSession
) -> None:
    token, cart, _ = await arrange(client, session)
    request = checkout_input(cart, PaymentType.ON_ACCOUNT, idempotencyKey="k-2")

    first, second = await asyncio.gather(
        client.execute(CHECKOUT, request, token=token),
        client.execute(CHECKOUT, request, token=token),
    )

    assert first == second
    assert first["checkoutCart"]["errors"] == []
    assert await count_orders(session) == 1


async def test_a_sales_rep_ordering_for_an_account_is_the_creator(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a sales rep acting for one of its accounts
    account = await make_account(session, sales_rep_code="REP9")
    await make_address(session, account=account, is_primary=True)
    await make_worker(session, username="rep9", role=WorkerRole.SALES_REP, rep_code="REP9")
    product = await make_product(session, level_prices={"A": "2.50"})
    token = await client.login("rep9", PASSWORD)
    await session.execute(update(Session).values(active_account_id=account.id))
    await session.commit()

    # when it creates a cart, adds a line and checks out
    created = await client.execute(
        "mutation { createCart(input: {}) { cart { id worker { username } } } }", token=token
    )
    cart_id = created["createCart"]["cart"]["id"]
    await client.execute(
        "mutation Add($input: AddCartLinesInput!) { addCartLines(input: $input) { cart { id } } }",
        {
            "input": {
                "cartId": cart_id,
                "lines": [{"productId": gid("Product", product.id), "quantity": 4}],
            }
        },
        token=token,
    )
    data = await client.execute(
        CHECKOUT, {"input": {"cartId": cart_id, "paymentType": "ON_ACCOUNT"}}, token=token
    )

    # then the rep is the order's creator
    assert created["createCart"]["cart"]["worker"] == {"username": "rep9"}
    order = data["checkoutCart"]["order"]
    assert (order["createdByWorker"], order["createdByContact"], order["total"]) == (
        {"username": "rep9"},
        None,
        "10.00",
    )
