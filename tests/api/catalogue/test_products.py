"""product / products: the price each viewer sees, why, what it may buy, and what it costs."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import WorkerRole
from loaders import offers
from models import Account
from models.types import utcnow
from schema.relay import encode_global_id
from tests.conftest import StatementCounter
from tests.factories import (
    PASSWORD,
    make_account,
    make_account_price,
    make_contact,
    make_contract,
    make_location,
    make_product,
    make_restriction,
    make_worker,
)
from tests.graphql_client import GraphQLClient

PRICE = """
query Price($sku: String!, $quantity: Int!) {
  product(sku: $sku) { sku price(quantity: $quantity) }
}
"""

BREAKDOWN = """
query Breakdown($sku: String!, $quantity: Int!) {
  product(sku: $sku) {
    priceBreakdown(quantity: $quantity) {
      quantity unitPrice rule priceLevel available reason
      candidates { rule price isForced applies note minQuantity contractCode undiscountedPrice }
    }
  }
}
"""

PRODUCTS = """
query Products($filter: ProductFilter, $first: Int) {
  products(filter: $filter, first: $first) {
    totalCount
    nodes {
      sku
      price
      priceBreakdown { rule candidates { rule price applies } }
      stock { quantity location { code } }
    }
  }
}
"""

TODAY = utcnow().date()
SEED_LEVELS = {"A": "1.00", "B": "2.00", "C": "3.00", "D": "4.00"}


async def buyer_token(
    client: GraphQLClient, session: AsyncSession, *, restricted: bool = False, **account: object
) -> tuple[str, Account]:
    """A shopper of a fresh account (keyword arguments are the account's fields)."""
    row = await make_account(session, **account)
    username = f"buyer{row.id}"
    await make_contact(
        session,
        account=row,
        username=username,
        membership={"restricted_products_apply": restricted},
    )
    return await client.login(username, PASSWORD), row


async def test_the_seed_example_level_c_sees_the_c_price(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given the seed's product with A=1, B=2, C=3, D=4 and a shopper on level C
    await make_product(session, sku="WIDGET", level_prices=SEED_LEVELS)
    token, _ = await buyer_token(client, session, price_level="C")

    # when it asks for the price
    data = await client.execute(PRICE, {"sku": "WIDGET", "quantity": 1}, token=token)

    # then it sees 3
    assert data == {"product": {"sku": "WIDGET", "price": "3.00"}}


async def test_the_breakdown_names_the_winner_and_every_candidate(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given level, discount, quantity breaks, an expired and a forced current contract
    product = await make_product(session, sku="BOLT", level_prices={"B": "10.00"})
    token, account = await buyer_token(client, session, price_level="B", discount_percent="10")
    await make_account_price(
        session, account=account, product=product, price="8.00", min_quantity=10
    )
    await make_contract(
        session,
        code="OLD",
        starts_on=date(2020, 1, 1),
        expires_on=date(2020, 12, 31),
        products=[(product, "1.00", False)],
        accounts=[account],
    )
    await make_contract(
        session,
        code="LOCK",
        starts_on=TODAY,
        expires_on=TODAY,
        products=[(product, "9.50", True)],
        accounts=[account],
    )

    # when it asks why it pays what it pays for 12
    data = await client.execute(BREAKDOWN, {"sku": "BOLT", "quantity": 12}, token=token)

    # then the forced contract price wins although dearer than the break
    assert data["product"]["priceBreakdown"] == {
        "quantity": 12,
        "unitPrice": "9.50",
        "rule": "CONTRACT_PRICE",
        "priceLevel": "B",
        "available": True,
        "reason": None,
        "candidates": [
            {
                "rule": "LEVEL_PRICE",
                "price": "9.00",
                "isForced": False,
                "applies": True,
                "note": "price level B less 10% account discount",
                "minQuantity": None,
                "contractCode": None,
                "undiscountedPrice": "10.00",
            },
            {
                "rule": "ACCOUNT_PRICE",
                "price": "8.00",
                "isForced": False,
                "applies": True,
                "note": "account price from 10",
                "minQuantity": 10,
                "contractCode": None,
                "undiscountedPrice": None,
            },
            {
                "rule": "CONTRACT_PRICE",
                "price": "9.50",
                "isForced": True,
                "applies": True,
                "note": f"contract LOCK until {TODAY.isoformat()}",
                "minQuantity": None,
                "contractCode": "LOCK",
                "undiscountedPrice": None,
            },
            {
                "rule": "CONTRACT_PRICE",
                "price": "1.00",
                "isForced": False,
                "applies": False,
                "note": "contract OLD expired 2020-12-31",
                "minQuantity": None,
                "contractCode": "OLD",
                "undiscountedPrice": None,
            },
        ],
    }


async def test_quantity_breaks_change_the_price(
    client: GraphQLClient, session: AsyncSession
) -> None:
    product = await make_product(session, sku="NUT", level_prices={"A": "2.00"})
    token, account = await buyer_token(client, session, price_level="A")
    for quantity, price in ((5, "1.80"), (50, "1.50")):
        await make_account_price(
            session, account=account, product=product, price=price, min_quantity=quantity
        )

    prices = [
        (await client.execute(PRICE, {"sku": "NUT", "quantity": q}, token=token))["product"][
            "price"
        ]
        for q in (1, 5, 49, 50, 500)
    ]

    assert prices == ["2.00", "1.80", "1.80", "1.50", "1.50"]


async def test_anonymous_visitors_see_the_guest_accounts_prices_by_region(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given guest accounts on levels D (default) and B (region WA)
    await make_product(session, sku="WIDGET", level_prices=SEED_LEVELS)
    await make_account(session, code="WEB_RETAIL", price_level="D")
    await make_account(session, code="WEB_WA", price_level="B")
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    admin = await client.login("admin", PASSWORD)
    before = await client.execute(PRICE, {"sku": "WIDGET", "quantity": 1})
    update = await client.execute(
        """mutation($input: UpdateGuestPricingInput!) {
          updateGuestPricing(input: $input) {
            guestPricing { defaultAccountCode regions { region accountCode } }
            errors { field code message }
          }
        }""",
        {
            "input": {
                "defaultAccountCode": "web_retail",
                "regions": [{"region": "wa", "accountCode": "WEB_WA"}],
            }
        },
        token=admin,
    )

    # when anonymous visitors from nowhere in particular and from WA ask
    anywhere = await client.execute(PRICE, {"sku": "WIDGET", "quantity": 1})
    from_wa = (
        await client.raw(
            PRICE, {"sku": "WIDGET", "quantity": 1}, headers={"X-Tradepost-Region": "WA"}
        )
    ).json()["data"]

    # then no guest account meant no price, and now each region sees its account's level
    assert before == {"product": {"sku": "WIDGET", "price": None}}
    assert update["updateGuestPricing"] == {
        "guestPricing": {
            "defaultAccountCode": "WEB_RETAIL",
            "regions": [{"region": "WA", "accountCode": "WEB_WA"}],
        },
        "errors": [],
    }
    assert anywhere == {"product": {"sku": "WIDGET", "price": "4.00"}}
    assert from_wa == {"product": {"sku": "WIDGET", "price": "2.00"}}


async def test_guest_pricing_refuses_unknown_accounts(
    client: GraphQLClient, session: AsyncSession
) -> None:
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    admin = await client.login("admin", PASSWORD)

    data = await client.execute(
        """mutation($input: UpdateGuestPricingInput!) {
          updateGuestPricing(input: $input) { errors { field code message } }
        }""",
        {
            "input": {
                "defaultAccountCode": "NOPE",
                "regions": [{"region": "WA", "accountCode": "NADA"}],
            }
        },
        token=admin,
    )

    assert data["updateGuestPricing"]["errors"] == [
        {"field": ["defaultAccountCode"], "code": "NOT_FOUND", "message": "No account NOPE"},
        {
            "field": ["regions", "0", "accountCode"],
            "code": "NOT_FOUND",
            "message": "No account NADA",
        },
    ]


async def test_restricted_products_have_no_price_unless_a_contract_lists_them(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an account whose SU23 list holds two products, one also on its contract
    listed = await make_product(session, sku="LISTED", level_prices={"A": "5.00"})
    contracted = await make_product(session, sku="CONTRACTED", level_prices={"A": "5.00"})
    await make_product(session, sku="COMMODITY", commodity="CHEM", level_prices={"A": "5.00"})
    await make_product(session, sku="RETIRED", is_active=False, level_prices={"A": "5.00"})
    await make_product(session, sku="FREE", level_prices={"A": "5.00"})
    token, account = await buyer_token(client, session, restricted=True, price_level="A")
    other, _ = await buyer_token(client, session, restricted=False, price_level="A")
    for product in (listed, contracted):
        await make_restriction(session, account=account, product=product)
    await make_restriction(session, account=account, commodity="CHEM")
    await make_contract(
        session,
        starts_on=TODAY,
        expires_on=TODAY + timedelta(days=30),
        products=[(contracted, "4.00", False)],
        accounts=[account],
    )

    # when the restricted shopper and an unrestricted one list the catalogue
    everything = await client.execute(PRODUCTS, token=token)
    available = await client.execute(PRODUCTS, {"filter": {"availableOnly": True}}, token=token)
    unrestricted = await client.execute(PRODUCTS, {"filter": {"availableOnly": True}}, token=other)
    why = await client.execute(BREAKDOWN, {"sku": "LISTED", "quantity": 1}, token=token)

    # then restricted and inactive products have no price; the contract's one does
    assert [(n["sku"], n["price"]) for n in everything["products"]["nodes"]] == [
        ("COMMODITY", None),
        ("CONTRACTED", "4.00"),
        ("FREE", "5.00"),
        ("LISTED", None),
        ("RETIRED", None),
    ]
    assert [n["sku"] for n in available["products"]["nodes"]] == ["CONTRACTED", "FREE"]
    assert [n["sku"] for n in unrestricted["products"]["nodes"]] == [
        "COMMODITY",
        "CONTRACTED",
        "FREE",
        "LISTED",
    ]
    assert why["product"]["priceBreakdown"] | {"candidates": None} == {
        "quantity": 1,
        "unitPrice": None,
        "rule": None,
        "priceLevel": "A",
        "available": False,
        "reason": "This product is restricted for your account",
        "candidates": None,
    }


async def test_products_search_and_filter_by_contract(
    client: GraphQLClient, session: AsyncSession
) -> None:
    hammer = await make_product(session, sku="HAM-1", name="Claw hammer")
    saw = await make_product(session, sku="SAW-1", name="Hand saw")
    token, account = await buyer_token(client, session)
    _, stranger = await buyer_token(client, session)
    theirs = await make_contract(
        session,
        starts_on=TODAY,
        expires_on=TODAY,
        products=[(saw, "1.00", False)],
        accounts=[stranger],
    )
    contract = await make_contract(
        session,
        starts_on=TODAY,
        expires_on=TODAY,
        products=[(hammer, "1.00", False)],
        accounts=[account],
    )
    assert contract.id is not None and theirs.id is not None
    contract_id = encode_global_id("Contract", contract.id)
    their_id = encode_global_id("Contract", theirs.id)

    by_name = await client.execute(PRODUCTS, {"filter": {"search": "hammer"}}, token=token)
    by_sku = await client.execute(PRODUCTS, {"filter": {"search": "saw-"}}, token=token)
    by_contract = await client.execute(
        PRODUCTS, {"filter": {"contractId": contract_id}}, token=token
    )
    by_their_contract = await client.execute(
        PRODUCTS, {"filter": {"contractId": their_id}}, token=token
    )

    assert [n["sku"] for n in by_name["products"]["nodes"]] == ["HAM-1"]
    assert [n["sku"] for n in by_sku["products"]["nodes"]] == ["SAW-1"]
    assert [n["sku"] for n in by_contract["products"]["nodes"]] == ["HAM-1"]
    assert by_their_contract["products"]["nodes"] == []


async def test_stock_shows_only_the_buyers_locations_but_every_location_to_workers(
    client: GraphQLClient, session: AsyncSession
) -> None:
    product = await make_product(session, sku="PIPE")
    token, account = await buyer_token(client, session)
    await make_location(session, code="SYD", accounts=[(account, True)], stock=[(product, 7)])
    await make_location(session, code="PER", stock=[(product, 3)])
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    worker = await client.login("service", PASSWORD)
    query = 'query { product(sku: "pipe") { stock { quantity location { code } } } }'

    shopper = await client.execute(query, token=token)
    staff = await client.execute(query, token=worker)
    anonymous = await client.execute(query)

    assert shopper["product"]["stock"] == [{"quantity": 7, "location": {"code": "SYD"}}]
    assert staff["product"]["stock"] == [
        {"quantity": 7, "location": {"code": "SYD"}},
        {"quantity": 3, "location": {"code": "PER"}},
    ]
    assert anonymous["product"]["stock"] == []


async def test_a_product_page_costs_the_same_statements_whatever_its_size(
    client: GraphQLClient, session: AsyncSession, sql_counter: StatementCounter
) -> None:
    # given 100 products, each with level prices, account tiers, a contract line, stock
    token, account = await buyer_token(client, session, price_level="B", restricted=True)
    products = [
        await make_product(session, sku=f"P{n:03d}", level_prices={"A": "9.00", "B": "8.00"})
        for n in range(100)
    ]
    for product in products[::3]:
        await make_account_price(session, account=account, product=product, price="7.00")
        await make_restriction(session, account=account, product=product)
    await make_contract(
        session,
        starts_on=TODAY,
        expires_on=TODAY,
        products=[(p, "6.00", False) for p in products[::5]],
        accounts=[account],
    )
    await make_location(
        session, code="SYD", accounts=[(account, True)], stock=[(p, 1) for p in products]
    )

    # when one page of 5 and one of 100 are asked for, prices, breakdowns and stock included
    sql_counter.reset()
    small = await client.execute(PRODUCTS, {"first": 5}, token=token)
    small_count = sql_counter.count
    sql_counter.reset()
    large = await client.execute(PRODUCTS, {"first": 100}, token=token)
    large_count = sql_counter.count

    # then both cost the same number of statements
    assert len(small["products"]["nodes"]) == 5
    assert len(large["products"]["nodes"]) == 100
    assert large["products"]["nodes"][1]["price"] == "8.00"
    assert large["products"]["nodes"][3]["price"] is None  # restricted
    assert large["products"]["nodes"][0]["price"] == "6.00"  # restricted but on the contract
    assert large_count == small_count, sql_counter.statements


async def test_a_page_of_prices_is_one_pricing_pass_a_quantity(
    client: GraphQLClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given three products with a quantity break each
    token, account = await buyer_token(client, session, price_level="A")
    for sku in ("BOLT-1", "BOLT-2", "BOLT-3"):
        product = await make_product(session, sku=sku, level_prices={"A": "2.00"})
        await make_account_price(
            session, account=account, product=product, price="1.50", min_quantity=10
        )
    passes: list[dict[int, int]] = []
    original = offers.quotes_for

    async def counted(context: Any, **arguments: Any) -> Any:
        passes.append(dict(arguments["quantities"]))
        return await original(context, **arguments)

    monkeypatch.setattr(offers, "quotes_for", counted)

    # when a page shows each product's price for one and for ten
    data = await client.execute(
        '{ products(first: 10, filter: {search: "BOLT"}) '
        "{ nodes { sku price bulk: price(quantity: 10) } } }",
        token=token,
    )

    # then the prices are right, from one pricing pass for each quantity
    assert data["products"]["nodes"] == [
        {"sku": sku, "price": "2.00", "bulk": "1.50"} for sku in ("BOLT-1", "BOLT-2", "BOLT-3")
    ]
    assert sorted(sorted(q.values()) for q in passes) == [[1, 1, 1], [10, 10, 10]]
