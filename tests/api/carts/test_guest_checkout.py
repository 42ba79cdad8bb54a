"""Seed 000 B2C guest checkout: an anonymous cart at guest prices, held by a secret token, checked
out with an e-mail address and addresses into a new web account, contact and order at once."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from core.settings import Settings
from domain.enums import ApiKeyScope, RecordSource, SurchargeKind, WorkerRole
from loaders.offers import GUEST_PRICING_SECTION
from models import Account, Address, Cart, Contact, Order
from tests.api.orders.test_exports import api_key
from tests.factories import (
    PASSWORD,
    make_account,
    make_contact,
    make_location,
    make_product,
    make_worker,
    save_settings,
)
from tests.graphql_client import GraphQLClient, gid

CREATE = """
mutation {
  createGuestCart(input: {}) { guestCartToken cart { id total } errors { field code message } }
}
"""
SET_LINES = """
mutation Lines($input: SetGuestCartLinesInput!) {
  setGuestCartLines(input: $input) {
    cart { total lines { sku quantity unitPrice lineTotal } }
    errors { field code message }
  }
}
"""
GUEST_CART = "query Cart($token: String!) { guestCart(token: $token) { total status } }"
CHECKOUT = """
mutation Checkout($input: CheckoutGuestCartInput!) {
  checkoutGuestCart(input: $input) {
    order {
      number status total paymentType paymentReference
      shipTo { name line1 city postcode }
      lines { sku quantity unitPrice }
      createdByContact { name email }
    }
    bankDetails { accountName }
    errors { field code message }
  }
}
"""
PENDING = """
query { pendingExports { nodes { kind order { number } account {
  code source priceLevel paymentTypes email companyName awaitingErpExport
  addresses { nodes { kind line1 postcode isPrimary source } }
  contacts { nodes { name email username } }
} } } }
"""
BILLING = {"line1": "9 Harbour Street", "city": "Sydney", "region": "NSW", "postcode": "2000"}
SHIPPING = {"line1": "12 Beach Road", "city": "Bondi", "region": "NSW", "postcode": "2026"}


async def guest_world(session: AsyncSession) -> dict[str, Any]:
    """Guest prices from WEB_RETAIL (level B): the pipe costs 8.00 there, 10.00 at level A."""
    await make_account(session, code="WEB_RETAIL", price_level="B", source=RecordSource.ERP)
    await save_settings(session, GUEST_PRICING_SECTION, default_account_code="WEB_RETAIL")
    pipe = await make_product(session, sku="PIPE-20", level_prices={"A": "10.00", "B": "8.00"})
    return {"pipe": gid("Product", pipe.id)}


async def guest_cart_of(client: GraphQLClient, world: dict[str, Any], quantity: int = 3) -> str:
    created = await client.execute(CREATE)
    token: str = created["createGuestCart"]["guestCartToken"]
    lines = await client.execute(
        SET_LINES,
        {
            "input": {
                "guestCartToken": token,
                "lines": [{"productId": world["pipe"], "quantity": quantity}],
            }
        },
    )
    assert lines["setGuestCartLines"]["errors"] == []
    return token


def checkout_input(token: str, **values: Any) -> dict[str, Any]:
    return {
        "input": {
            "guestCartToken": token,
            "email": "pat@example.com",
            "name": "Pat Consumer",
            "billingAddress": BILLING,
            "shippingAddress": SHIPPING,
            "paymentType": "CREDIT_CARD",
            "paymentReference": "auth_123",
            **values,
        }
    }


async def counts(session: AsyncSession) -> dict[str, int]:
    result = {}
    for model in (Account, Contact, Address, Order):
        result[model.__name__] = int(
            await session.scalar(select(func.count()).select_from(model)) or 0
        )
    await session.rollback()  # end the read, so the next count sees what was committed since
    return result


async def test_a_visitor_buys_at_guest_prices_and_the_order_creates_the_web_account(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    # given guest prices and an anonymous visitor's cart of three pipes
    world = await guest_world(session)
    created = await client.execute(CREATE)
    token = created["createGuestCart"]["guestCartToken"]
    lines = await client.execute(
        SET_LINES,
        {
            "input": {
                "guestCartToken": token,
                "lines": [{"productId": world["pipe"], "quantity": 3}],
            }
        },
    )

    # when the visitor checks out with an e-mail address, billing and shipping addresses
    data = await client.execute(CHECKOUT, checkout_input(token))
    erp = await api_key(session, settings, ApiKeyScope.SYNC)
    pending = await client.execute(PENDING, token=erp)
    spent = await client.execute(GUEST_CART, {"token": token})

    # then the cart was priced at the guest account's level B
    assert token.startswith("tpg_") and len(token) > 40
    assert lines["setGuestCartLines"] == {
        "cart": {
            "total": "24.00",
            "lines": [{"sku": "PIPE-20", "quantity": 3, "unitPrice": "8.00", "lineTotal": "24.00"}],
        },
        "errors": [],
    }
    # and the order ships to the shipping address, paid with the gateway's authorisation
    payload = data["checkoutGuestCart"]
    assert payload["errors"] == []
    number = payload["order"]["number"]
    assert payload["order"] | {"number": None} == {
        "number": None,
        "status": "PLACED",
        "total": "24.00",
        "paymentType": "CREDIT_CARD",
        "paymentReference": "auth_123",
        "shipTo": {
            "name": "Pat Consumer",
            "line1": "12 Beach Road",
            "city": "Bondi",
            "postcode": "2026",
        },
        "lines": [{"sku": "PIPE-20", "quantity": 3, "unitPrice": "8.00"}],
        "createdByContact": {"name": "Pat Consumer", "email": "pat@example.com"},
    }
    # and the new web account (billing and shipping addresses, a contact without a login)
    # goes to the ERP with its order
    account_export, order_export = pending["pendingExports"]["nodes"]
    assert (account_export["kind"], order_export["kind"]) == ("ACCOUNT", "ORDER")
    assert account_export["order"]["number"] == order_export["order"]["number"] == number
    account = account_export["account"]
    assert account["code"].startswith("W")
    assert account | {"code": None, "addresses": None} == {
        "code": None,
        "source": "WEB",
        "priceLevel": "B",
        "paymentTypes": ["CREDIT_CARD", "PAYPAL", "DIRECT_DEPOSIT"],
        "email": "pat@example.com",
        "companyName": "Pat Consumer",
        "awaitingErpExport": True,
        "addresses": None,
        "contacts": {
            "nodes": [{"name": "Pat Consumer", "email": "pat@example.com", "username": None}]
        },
    }
    assert sorted(
        (a["kind"], a["line1"], a["isPrimary"], a["source"]) for a in account["addresses"]["nodes"]
    ) == [("BILLING", "9 Harbour Street", True, "WEB"), ("SHIPPING", "12 Beach Road", False, "WEB")]
    # and the token is spent
    assert spent["guestCart"] is None


async def test_a_refused_guest_checkout_leaves_nothing_behind(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a guest cart
    world = await guest_world(session)
    token = await guest_cart_of(client, world)
    before = await counts(session)

    async def errors(**values: Any) -> list[dict[str, Any]]:
        data = await client.execute(CHECKOUT, checkout_input(token, **values))
        assert data["checkoutGuestCart"]["order"] is None
        found: list[dict[str, Any]] = data["checkoutGuestCart"]["errors"]
        return found

    # when the visitor gives a bad e-mail and no postcode, pays on account, or by card
    # without the gateway's authorisation
    bad_buyer = await errors(email="not-an-address", billingAddress={**BILLING, "postcode": ""})
    on_account = await errors(paymentType="ON_ACCOUNT")
    no_reference = await errors(paymentReference=None)
    wrong_token = await errors(guestCartToken="tpg_guessed")

    # then each is refused with its reason, and no account, contact, address or order exists
    assert bad_buyer == [
        {
            "field": ["email"],
            "code": "INVALID",
            "message": "'not-an-address' is not an e-mail address",
        },
        {
            "field": ["billingAddress", "postcode"],
            "code": "REQUIRED",
            "message": "postcode is required",
        },
    ]
    assert on_account == [
        {
            "field": ["paymentType"],
            "code": "INVALID",
            "message": "Guests pay by CREDIT_CARD, PAYPAL, DIRECT_DEPOSIT",
        }
    ]
    assert no_reference == [
        {
            "field": ["paymentReference"],
            "code": "REQUIRED",
            "message": "CREDIT_CARD needs a payment reference (a gateway authorisation)",
        }
    ]
    assert wrong_token == [
        {
            "field": ["guestCartToken"],
            "code": "NOT_FOUND",
            "message": "No such guest cart (it may have been checked out)",
        }
    ]
    assert await counts(session) == before
    assert (await client.execute(GUEST_CART, {"token": token}))["guestCart"] == {
        "total": "24.00",
        "status": "OPEN",
    }


async def test_an_email_with_a_login_gets_the_same_answer_and_its_account_is_untouched(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Mary's login with her e-mail address at ABC1234
    world = await guest_world(session)
    abc = await make_account(session, code="ABC1234")
    await make_contact(session, account=abc, username="mary", email="mary@example.com")
    tokens = [await guest_cart_of(client, world) for _ in range(2)]

    # when one visitor checks out with Mary's address and another with a new one
    known = await client.execute(CHECKOUT, checkout_input(tokens[0], email="mary@example.com"))
    unknown = await client.execute(CHECKOUT, checkout_input(tokens[1], email="new@example.com"))

    # then both answers are alike (nothing tells that the address has a login), each order is
    # on a new web account, and Mary's account has no order
    def shape(data: dict[str, Any]) -> dict[str, Any]:
        order = data["checkoutGuestCart"]["order"]
        return {
            **data["checkoutGuestCart"],
            "order": order | {"number": None, "createdByContact": None},
        }

    assert shape(known) == shape(unknown)
    assert known["checkoutGuestCart"]["errors"] == []
    orders = list(await session.scalars(select(col(Order.account_id))))
    assert len(orders) == 2 and abc.id not in orders and orders[0] != orders[1]


async def test_the_same_idempotency_key_returns_the_first_order(
    client: GraphQLClient, session: AsyncSession
) -> None:
    world = await guest_world(session)
    token = await guest_cart_of(client, world)
    variables = checkout_input(token, idempotencyKey="guest-1")

    first = await client.execute(CHECKOUT, variables)
    again = await client.execute(CHECKOUT, variables)
    other = await client.execute(
        CHECKOUT, checkout_input(token, idempotencyKey="guest-1", name="Sam")
    )
    without = await client.execute(CHECKOUT, checkout_input(token))

    assert again["checkoutGuestCart"] == first["checkoutGuestCart"]
    assert other["checkoutGuestCart"]["errors"] == [
        {
            "field": ["idempotencyKey"],
            "code": "INVALID",
            "message": "This idempotency key was used for a different checkout",
        }
    ]
    assert without["checkoutGuestCart"]["errors"][0]["code"] == "NOT_FOUND"
    assert (await counts(session))["Order"] == 1


async def test_two_checkouts_of_one_guest_cart_at_once_make_one_order_and_one_account(
    client: GraphQLClient, session: AsyncSession
) -> None:
    world = await guest_world(session)
    token = await guest_cart_of(client, world)
    before = await counts(session)

    results = await asyncio.gather(
        *(client.execute(CHECKOUT, checkout_input(token)) for _ in range(2))
    )

    errors = sorted(len(r["checkoutGuestCart"]["errors"]) for r in results)
    assert errors == [0, 1]
    after = await counts(session)
    assert (after["Order"], after["Account"] - before["Account"]) == (1, 1)


async def test_the_token_is_the_only_way_in_and_only_its_hash_is_kept(
    client: GraphQLClient, session: AsyncSession
) -> None:
    world = await guest_world(session)
    token = await guest_cart_of(client, world)

    stored = list(await session.scalars(select(col(Cart.guest_token_hash))))
    other = await client.execute(
        SET_LINES,
        {
            "input": {
                "guestCartToken": token[:-1],
                "lines": [{"productId": world["pipe"], "quantity": 1}],
            }
        },
    )

    assert len(stored) == 1 and stored[0] is not None and token not in stored[0]
    assert other["setGuestCartLines"]["errors"] == [
        {
            "field": ["guestCartToken"],
            "code": "NOT_FOUND",
            "message": "No such guest cart (it may have been checked out)",
        }
    ]


async def test_guest_cart_lines_are_set_removed_and_refused_per_line(
    client: GraphQLClient, session: AsyncSession
) -> None:
    world = await guest_world(session)
    unpriced = await make_product(session, sku="NOPRICE", level_prices={"A": "1.00"})
    token = await guest_cart_of(client, world)

    refused = await client.execute(
        SET_LINES,
        {
            "input": {
                "guestCartToken": token,
                "lines": [
                    {"productId": world["pipe"], "quantity": 1},
                    {"productId": gid("Product", unpriced.id), "quantity": 1},
                    {"productId": world["pipe"], "quantity": -2},
                ],
            }
        },
    )
    removed = await client.execute(
        SET_LINES,
        {
            "input": {
                "guestCartToken": token,
                "lines": [{"productId": world["pipe"], "quantity": 0}],
            }
        },
    )

    assert [e["field"] for e in refused["setGuestCartLines"]["errors"]] == [
        ["lines", "1", "productId"],
        ["lines", "2", "quantity"],
    ]
    assert removed["setGuestCartLines"] == {"cart": {"total": "0.00", "lines": []}, "errors": []}
    empty = await client.execute(CHECKOUT, checkout_input(token))
    assert empty["checkoutGuestCart"]["errors"] == [
        {"field": ["guestCartToken"], "code": "INVALID", "message": "The cart is empty"}
    ]


async def test_guest_checkout_follows_its_settings(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given no guest pricing account yet, and an administrator
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    admin = await client.login("admin", PASSWORD)
    update = """
    mutation Update($input: UpdateGuestCheckoutSettingsInput!) {
      updateGuestCheckoutSettings(input: $input) {
        guestCheckout { enabled paymentTypes } errors { field code message }
      }
    }
    """

    no_guest_account = await client.execute(CREATE)
    on_account = await client.execute(
        update, {"input": {"paymentTypes": ["ON_ACCOUNT", "CREDIT_CARD"]}}, token=admin
    )
    await guest_world(session)
    switched_off = await client.execute(update, {"input": {"enabled": False}}, token=admin)
    disabled = await client.execute(CREATE)
    read = await client.execute("query { settings { guestCheckout { enabled paymentTypes } } }")

    refused = {
        "guestCartToken": None,
        "cart": None,
        "errors": [
            {
                "field": None,
                "code": "NOT_PERMITTED",
                "message": "Guest checkout is not available on this site",
            }
        ],
    }
    assert no_guest_account["createGuestCart"] == refused
    assert on_account["updateGuestCheckoutSettings"]["errors"] == [
        {
            "field": ["paymentTypes"],
            "code": "INVALID",
            "message": "Value error, A new guest account has no credit: it cannot pay ON_ACCOUNT",
        }
    ]
    assert switched_off["updateGuestCheckoutSettings"]["errors"] == []
    assert disabled["createGuestCart"] == refused
    assert read["settings"]["guestCheckout"] == {
        "enabled": False,
        "paymentTypes": ["CREDIT_CARD", "PAYPAL", "DIRECT_DEPOSIT"],
    }


async def test_a_guest_order_ships_from_the_guest_accounts_primary_location(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given WEB_RETAIL served from MEL (primary, a fixed 15.00 surcharge)
    world = await guest_world(session)
    web_retail = await session.scalar(select(Account).where(col(Account.code) == "WEB_RETAIL"))
    assert web_retail is not None
    await make_location(
        session,
        code="MEL",
        accounts=[(web_retail, True)],
        surcharge_kind=SurchargeKind.FIXED,
        surcharge_value=Decimal("15.00"),
    )
    token = await guest_cart_of(client, world)

    # when the guest checks out
    data = await client.execute(
        """
        mutation Checkout($input: CheckoutGuestCartInput!) {
          checkoutGuestCart(input: $input) {
            order { subtotal surcharge total shipFrom { code } } errors { message }
          }
        }
        """,
        checkout_input(token),
    )

    # then the new account's order ships from MEL with its surcharge, as the guest was shown
    assert data["checkoutGuestCart"] == {
        "order": {
            "subtotal": "24.00",
            "surcharge": "15.00",
            "total": "39.00",
            "shipFrom": {"code": "MEL"},
        },
        "errors": [],
    }
