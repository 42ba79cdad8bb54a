"""requestQuote, priceQuote, acceptQuote, rejectQuote, renegotiateQuote, withdrawQuote and a
RUNNING_QUOTE checkout: the states, the breakdown against today's price, the history, the
e-mails to the other side, the export feed and who may see a quote (issue #16 §1)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from domain.enums import ApiKeyScope, ExportKind
from models import Cart, ErpExport, OutboxEmail, Quote
from tests.api.quotes.world import (
    PRICE,
    READ,
    REQUEST,
    TOMORROW,
    World,
    answer,
    arrange,
    requested,
    sent,
    set_level_price,
)
from tests.factories import PASSWORD, make_account, make_api_key, make_cart, make_contact
from tests.graphql_client import GraphQLClient, gid

CHECKOUT = """
mutation Checkout($input: CheckoutCartInput!) {
  checkoutCart(input: $input) {
    cart { status } order { id } quote { status requestNote lines { sku quantity } }
    errors { field code message }
  }
}
"""
EXPORTS = """
query { pendingExports(first: 20) { nodes { kind quote { number status } } } }
"""
ACCOUNT_QUOTES = """
query Quotes($code: String!, $filter: QuoteFilter) {
  account(code: $code) { quotes(filter: $filter) { totalCount nodes { number status } } }
}
"""
VIEWER_QUOTES = """
query Mine($filter: QuoteFilter) { viewer { quotes(filter: $filter) { nodes { number } } } }
"""


async def outbox(session: AsyncSession) -> list[tuple[str, list[str], str]]:
    rows = await session.scalars(select(OutboxEmail).order_by(col(OutboxEmail.id)))
    return [(row.template, row.to, row.subject) for row in rows]


async def test_a_shopper_requests_a_quote_of_its_cart(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Mary's cart of 3 x PIPE at 10.00 and 2 x VALVE at 4.00
    world = await arrange(client, session)

    # when she asks for a quote of it
    quote = await requested(client, world, note="  Site job, 40 more next month ")

    # then the quote holds the cart's lines at their prices, the cart stays open, and the
    # account's rep is told
    assert {k: quote[k] for k in ("status", "isExpired", "requestNote", "expiresOn")} == {
        "status": "REQUESTED",
        "isExpired": False,
        "requestNote": "Site job, 40 more next month",
        "expiresOn": None,
    }
    assert [
        (line["sku"], line["quantity"], line["quotedUnitPrice"]) for line in quote["lines"]
    ] == [
        ("PIPE", 3, "10.00"),
        ("VALVE", 2, "4.00"),
    ]
    assert quote["totals"] == {
        "subtotal": "38.00",
        "discount": "0.00",
        "total": "38.00",
        "todaysTotal": "38.00",
        "saving": "0.00",
    }
    cart = await session.get(Cart, world.cart.id, populate_existing=True)
    assert cart is not None and cart.status.value == "OPEN"
    assert await outbox(session) == [
        (
            "quote_requested",
            ["rep1@example.com"],
            f"Quote {quote['number']} requested by ABC Plumbing",
        )
    ]


async def test_an_empty_cart_or_an_over_long_note_is_refused(
    client: GraphQLClient, session: AsyncSession
) -> None:
    world = await arrange(client, session)
    empty = await make_cart(session, account=world.account, contact=world.mary, name="Empty")

    nothing = await client.execute(
        REQUEST, {"input": {"cartId": gid("Cart", empty.id)}}, token=world.mary_token
    )
    long = await client.execute(
        REQUEST,
        {"input": {"cartId": gid("Cart", world.cart.id), "note": "x" * 2001}},
        token=world.mary_token,
    )

    assert nothing["requestQuote"]["errors"] == [
        {"field": ["cartId"], "code": "INVALID", "message": "The cart is empty"}
    ]
    assert long["requestQuote"]["errors"] == [
        {"field": ["note"], "code": "TOO_LONG", "message": "note is longer than 2000 characters"}
    ]
    assert await session.scalar(select(Quote)) is None


async def test_a_running_quote_checkout_requests_a_quote(
    client: GraphQLClient, session: AsyncSession
) -> None:
    world = await arrange(client, session)

    data = await client.execute(
        CHECKOUT,
        {"input": {"cartId": gid("Cart", world.cart.id), "paymentType": "RUNNING_QUOTE"}},
        token=world.mary_token,
    )

    assert data["checkoutCart"] == {
        "cart": {"status": "OPEN"},
        "order": None,
        "quote": {
            "status": "REQUESTED",
            "requestNote": None,
            "lines": [{"sku": "PIPE", "quantity": 3}, {"sku": "VALVE", "quantity": 2}],
        },
        "errors": [],
    }


async def test_a_repeated_running_quote_checkout_gives_back_the_first_quote(
    client: GraphQLClient, session: AsyncSession
) -> None:
    world = await arrange(client, session)
    request = {
        "input": {
            "cartId": gid("Cart", world.cart.id),
            "paymentType": "RUNNING_QUOTE",
            "idempotencyKey": "rq-1",
        }
    }

    first = await client.execute(CHECKOUT, request, token=world.mary_token)
    second = await client.execute(CHECKOUT, request, token=world.mary_token)

    assert second["checkoutCart"] == first["checkoutCart"]
    assert first["checkoutCart"]["quote"]["status"] == "REQUESTED"
    await session.rollback()
    assert len(list(await session.scalars(select(Quote)))) == 1


async def test_the_rep_prices_and_sends_and_the_buyer_sees_todays_price_beside_it(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a requested quote
    world = await arrange(client, session)

    # when the rep prices PIPE at 9.00 with 10 % off, and today's PIPE price rises to 12.00
    quote = await sent(client, world, pipe_price="9.00", discount="10")
    await set_level_price(session, world.pipe, "12.00")
    read = await client.execute(READ, {"id": quote["id"]}, token=world.mary_token)

    # then Mary sees each line's quoted price (net of the discount) against today's, and is told
    node = read["node"]
    assert (node["status"], node["discountPercent"], node["expiresOn"], node["sellerNote"]) == (
        "SENT",
        "10.00",
        TOMORROW,
        "Price held for the site job",
    )
    assert [
        (
            line["sku"],
            line["requestedUnitPrice"],
            line["listUnitPrice"],
            line["quotedUnitPrice"],
            line["lineTotal"],
            line["todaysUnitPrice"],
            line["saving"],
        )
        for line in node["lines"]
    ] == [
        ("PIPE", "10.00", "9.00", "8.10", "24.30", "12.00", "11.70"),
        ("VALVE", "4.00", "4.00", "3.60", "7.20", "4.00", "0.80"),
    ]
    assert node["totals"] == {
        "subtotal": "35.00",
        "discount": "3.50",
        "total": "31.50",
        "todaysTotal": "44.00",
        "saving": "12.50",
    }
    assert (await outbox(session))[-1] == (
        "quote_sent",
        ["mary@example.com"],
        f"Your quote {quote['number']} is ready",
    )


async def test_bad_prices_are_refused_and_change_nothing(
    client: GraphQLClient, session: AsyncSession
) -> None:
    world = await arrange(client, session)
    quote = await requested(client, world)
    yesterday = (date.today() - timedelta(days=1)).isoformat()

    data = await client.execute(
        PRICE,
        {
            "input": {
                "id": quote["id"],
                "lines": [
                    {"lineId": quote["lines"][0]["id"], "unitPrice": "-1.00"},
                    {"lineId": gid("QuoteLine", 999999), "unitPrice": "1.00"},
                ],
                "discountPercent": "101",
                "expiresOn": yesterday,
            }
        },
        token=world.rep_token,
    )
    unknown_line = await client.execute(
        PRICE,
        {
            "input": {
                "id": quote["id"],
                "lines": [{"lineId": gid("QuoteLine", 999999), "unitPrice": "1.00"}],
                "expiresOn": TOMORROW,
            }
        },
        token=world.rep_token,
    )
    by_the_buyer = await client.execute(
        PRICE, {"input": {"id": quote["id"], "expiresOn": TOMORROW}}, token=world.mary_token
    )

    assert data["priceQuote"]["errors"] == [
        {
            "field": ["lines", "0", "unitPrice"],
            "code": "INVALID",
            "message": "unitPrice must be at least 0",
        },
        {
            "field": ["discountPercent"],
            "code": "LIMIT_EXCEEDED",
            "message": "discountPercent must be at most 100",
        },
        {"field": ["expiresOn"], "code": "INVALID", "message": "expiresOn must be after today"},
    ]
    assert unknown_line["priceQuote"]["errors"] == [
        {
            "field": ["lines", "0", "lineId"],
            "code": "NOT_FOUND",
            "message": "No such line in this quote",
        }
    ]
    assert by_the_buyer["priceQuote"]["errors"] == [
        {"field": ["id"], "code": "NOT_PERMITTED", "message": "Only the seller may price a quote"}
    ]
    read = await client.execute(READ, {"id": quote["id"]}, token=world.mary_token)
    assert read["node"]["status"] == "REQUESTED"
    assert [line["quotedUnitPrice"] for line in read["node"]["lines"]] == ["10.00", "4.00"]


async def test_reject_renegotiate_and_reprice_loop_with_the_history_of_every_step(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a sent quote
    world = await arrange(client, session)
    quote = await sent(client, world)

    # when Mary asks again, the rep re-prices, Mary accepts then asks again, the rep
    # re-prices, Mary rejects
    asked = await answer(
        client, world.mary_token, "renegotiate", quote["id"], reason="Need 8.50 for PIPE"
    )
    repriced = await client.execute(
        PRICE,
        {
            "input": {
                "id": quote["id"],
                "lines": [{"lineId": quote["lines"][0]["id"], "unitPrice": "8.50"}],
                "expiresOn": TOMORROW,
            }
        },
        token=world.rep_token,
    )
    accepted = await answer(client, world.mary_token, "accept", quote["id"])
    again = await answer(client, world.mary_token, "renegotiate", quote["id"], reason="Qty up")
    rejected_too_early = await answer(client, world.mary_token, "reject", quote["id"], reason="x")
    await sent_again(client, world, quote["id"])
    rejected = await answer(client, world.mary_token, "reject", quote["id"], reason="Too dear")
    no_reason = await answer(client, world.mary_token, "reject", quote["id"], reason=" ")
    after = await answer(client, world.mary_token, "accept", quote["id"])

    # then each step moved the quote, the refused ones said why, and the history has them all
    assert [asked["quote"], repriced["priceQuote"]["quote"]["status"], accepted["quote"]] == [
        {"status": "RENEGOTIATION"},
        "SENT",
        {"status": "ACCEPTED"},
    ]
    assert again["quote"] == {"status": "RENEGOTIATION"}
    assert rejected_too_early["errors"] == [
        {
            "field": ["id"],
            "code": "INVALID_TRANSITION",
            "message": "A quote that is RENEGOTIATION cannot be rejected",
        }
    ]
    assert rejected["quote"] == {"status": "REJECTED"}
    assert no_reason["errors"] == [
        {"field": ["reason"], "code": "REQUIRED", "message": "reason is required"}
    ]
    assert after["errors"] == [
        {
            "field": ["id"],
            "code": "INVALID_TRANSITION",
            "message": "A quote that is REJECTED cannot be accepted",
        }
    ]
    read = await client.execute(READ, {"id": quote["id"]}, token=world.mary_token)
    history = read["node"]["history"]["nodes"]
    assert [
        (h["action"], h["actor"], h["reason"], h["fromStatus"], h["toStatus"]) for h in history
    ] == [
        ("REQUEST", "Mary", "Site job", None, "REQUESTED"),
        ("PRICE", "Rep1", "Price held for the site job", "REQUESTED", "SENT"),
        ("RENEGOTIATE", "Mary", "Need 8.50 for PIPE", "SENT", "RENEGOTIATION"),
        ("PRICE", "Rep1", None, "RENEGOTIATION", "SENT"),
        ("ACCEPT", "Mary", None, "SENT", "ACCEPTED"),
        ("RENEGOTIATE", "Mary", "Qty up", "ACCEPTED", "RENEGOTIATION"),
        ("PRICE", "Rep1", None, "RENEGOTIATION", "SENT"),
        ("REJECT", "Mary", "Too dear", "SENT", "REJECTED"),
    ]
    assert all(h["at"] for h in history)
    # every step told the other side: the buyer's to the rep, the rep's to the buyer
    assert [(template, to) for template, to, _ in await outbox(session)] == [
        ("quote_requested", ["rep1@example.com"]),
        ("quote_sent", ["mary@example.com"]),
        ("quote_requested", ["rep1@example.com"]),
        ("quote_sent", ["mary@example.com"]),
        ("quote_answered", ["rep1@example.com"]),
        ("quote_requested", ["rep1@example.com"]),
        ("quote_sent", ["mary@example.com"]),
        ("quote_answered", ["rep1@example.com"]),
    ]


async def sent_again(client: GraphQLClient, world: World, quote_id: str) -> None:
    data = await client.execute(
        PRICE, {"input": {"id": quote_id, "expiresOn": TOMORROW}}, token=world.rep_token
    )
    assert data["priceQuote"]["errors"] == []


async def test_an_expired_quote_cannot_be_accepted_but_may_be_asked_for_again(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a sent quote whose last valid day was yesterday
    world = await arrange(client, session)
    quote = await sent(client, world)
    await session.execute(update(Quote).values(expires_on=date.today() - timedelta(days=1)))
    await session.commit()

    # when Mary accepts it, then asks for it again
    accepted = await answer(client, world.mary_token, "accept", quote["id"])
    read = await client.execute(READ, {"id": quote["id"]}, token=world.mary_token)
    asked = await answer(client, world.mary_token, "renegotiate", quote["id"], reason="Still on")

    # then it reads as EXPIRED, acceptance is refused, and asking again is allowed
    assert accepted["errors"] == [
        {
            "field": ["id"],
            "code": "QUOTE_EXPIRED",
            "message": "The quote has expired; ask for it again (renegotiateQuote)",
        }
    ]
    assert (read["node"]["status"], read["node"]["isExpired"]) == ("EXPIRED", True)
    assert asked["quote"] == {"status": "RENEGOTIATION"}


async def test_either_side_withdraws_and_the_other_is_told(
    client: GraphQLClient, session: AsyncSession
) -> None:
    world = await arrange(client, session)
    by_rep = await sent(client, world)
    by_mary = await requested(client, world)

    rep_withdrew = await answer(client, world.rep_token, "withdraw", by_rep["id"], reason="Stock")
    mary_withdrew = await answer(client, world.mary_token, "withdraw", by_mary["id"])
    twice = await answer(client, world.mary_token, "withdraw", by_mary["id"])

    assert rep_withdrew["quote"] == mary_withdrew["quote"] == {"status": "WITHDRAWN"}
    assert twice["errors"][0]["code"] == "INVALID_TRANSITION"
    mails = await outbox(session)
    assert mails[-2][:2] == ("quote_withdrawn", ["mary@example.com"])
    assert mails[-1][:2] == ("quote_answered", ["rep1@example.com"])


async def test_every_step_is_queued_for_the_erp_as_a_quote_export(
    client: GraphQLClient, session: AsyncSession
) -> None:
    world = await arrange(client, session)
    quote = await sent(client, world)
    await answer(client, world.mary_token, "accept", quote["id"])
    key = await make_api_key(session, scopes=[ApiKeyScope.SYNC])

    data = await client.execute(EXPORTS, token=key)

    assert (
        data["pendingExports"]["nodes"]
        == [{"kind": "QUOTE", "quote": {"number": quote["number"], "status": "ACCEPTED"}}] * 3
    )
    kinds = await session.scalars(select(col(ErpExport.kind)))
    assert list(kinds) == [ExportKind.QUOTE] * 3


async def test_quotes_are_in_account_enquiry_and_hidden_from_other_accounts(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a sent quote and a requested one at ABC1234, and a contact of another account
    world = await arrange(client, session)
    sent_quote = await sent(client, world)
    await requested(client, world)
    other = await make_account(session, code="XYZ9", payment_types=["ON_ACCOUNT"])
    await make_contact(session, account=other, username="olga")
    olga = await client.login("olga", PASSWORD)

    # when each reads them
    listed = await client.execute(ACCOUNT_QUOTES, {"code": "ABC1234"}, token=world.mary_token)
    only_sent = await client.execute(
        ACCOUNT_QUOTES, {"code": "ABC1234", "filter": {"status": ["SENT"]}}, token=world.rep_token
    )
    rep_queue = await client.execute(
        VIEWER_QUOTES, {"filter": {"status": ["REQUESTED", "RENEGOTIATION"]}}, token=world.rep_token
    )
    hers = await client.execute(VIEWER_QUOTES, token=world.mary_token)
    olgas_read = await client.execute(READ, {"id": sent_quote["id"]}, token=olga)
    olgas_accept = await answer(client, olga, "accept", sent_quote["id"])
    olgas_list = await client.execute(VIEWER_QUOTES, token=olga)

    # then the account's contact and rep see them; another account's contact sees nothing
    assert listed["account"]["quotes"]["totalCount"] == 2
    assert only_sent["account"]["quotes"]["nodes"] == [
        {"number": sent_quote["number"], "status": "SENT"}
    ]
    assert len(rep_queue["viewer"]["quotes"]["nodes"]) == 1
    assert len(hers["viewer"]["quotes"]["nodes"]) == 2
    assert olgas_read["node"] is None
    assert olgas_accept["errors"] == [
        {"field": ["id"], "code": "NOT_FOUND", "message": "No such quote"}
    ]
    assert olgas_list["viewer"]["quotes"]["nodes"] == []


async def test_the_rep_takes_no_buyer_steps(client: GraphQLClient, session: AsyncSession) -> None:
    world = await arrange(client, session)
    quote = await sent(client, world)

    rep_accepts = await answer(client, world.rep_token, "accept", quote["id"])

    assert rep_accepts["errors"] == [
        {"field": ["id"], "code": "NOT_PERMITTED", "message": "Only the buyer may accept a quote"}
    ]
