"""syncAccountPrices: ERP account prices, full replace that spares WEB prices, errors by index."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from domain.enums import ApiKeyScope, RecordSource, WorkerRole
from models import Account, AccountProductPrice, Product
from schema.relay import encode_global_id
from tests.factories import (
    PASSWORD,
    make_account,
    make_account_price,
    make_api_key,
    make_product,
    make_worker,
)
from tests.graphql_client import GraphQLClient

SYNC = """
mutation Sync($input: SyncAccountPricesInput!) {
  syncAccountPrices(input: $input) {
    results { index key outcome errors { field code message } }
    counts { created updated unchanged deleted failed }
    errors { field code message }
  }
}
"""

SET_PRICE = """
mutation Set($input: SetAccountPriceInput!) {
  setAccountPrice(input: $input) {
    price { minQuantity price isForced source product { sku } }
    errors { field code message }
  }
}
"""


async def prices(session: AsyncSession) -> list[tuple[str, int, str, bool, RecordSource]]:
    """Every account price as (sku, break, price, forced, source), as the database has it."""
    rows = await session.execute(
        select(
            col(Product.sku),
            col(AccountProductPrice.min_quantity),
            col(AccountProductPrice.price),
            col(AccountProductPrice.is_forced),
            col(AccountProductPrice.source),
        )
        .join(Product, col(Product.id) == col(AccountProductPrice.product_id))
        .order_by(col(Product.sku), col(AccountProductPrice.min_quantity))
    )
    return [(sku, q, str(price), forced, source) for sku, q, price, forced, source in rows]


async def test_a_full_replace_deletes_missing_erp_prices_but_never_web_ones(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an ERP price, a WEB price and an ERP price the next export no longer has
    account = await make_account(session, code="ACME")
    kept = await make_product(session, sku="KEPT")
    web = await make_product(session, sku="WEB")
    dropped = await make_product(session, sku="DROPPED")
    await make_account_price(session, account=account, product=kept, price="5.00")
    await make_account_price(
        session, account=account, product=web, price="4.00", source=RecordSource.WEB
    )
    await make_account_price(session, account=account, product=dropped, price="3.00")
    key = await make_api_key(session, scopes=[ApiKeyScope.SYNC])

    # when the ERP sends its full export: KEPT at a new price with a break, and WEB
    data = await client.execute(
        SYNC,
        {
            "input": {
                "replace": True,
                "records": [
                    {"accountCode": "acme", "sku": "KEPT", "price": "4.50"},
                    {
                        "accountCode": "ACME",
                        "sku": "KEPT",
                        "price": "4.00",
                        "minQuantity": 10,
                        "isForced": True,
                    },
                    {"accountCode": "ACME", "sku": "WEB", "price": "9.99"},
                ],
            }
        },
        token=key,
    )

    # then KEPT is updated, its break added, the WEB price untouched and DROPPED deleted
    assert data["syncAccountPrices"] == {
        "results": [
            {"index": 0, "key": "ACME/KEPT/1", "outcome": "UPDATED", "errors": []},
            {"index": 1, "key": "ACME/KEPT/10", "outcome": "CREATED", "errors": []},
            {"index": 2, "key": "ACME/WEB/1", "outcome": "UNCHANGED", "errors": []},
            {"index": -1, "key": "ACME/DROPPED/1", "outcome": "DELETED", "errors": []},
        ],
        "counts": {"created": 1, "updated": 1, "unchanged": 1, "deleted": 1, "failed": 0},
        "errors": [],
    }
    assert await prices(session) == [
        ("KEPT", 1, "4.50", False, RecordSource.ERP),
        ("KEPT", 10, "4.00", True, RecordSource.ERP),
        ("WEB", 1, "4.00", False, RecordSource.WEB),
    ]


async def test_a_bad_record_is_reported_by_index_and_the_rest_applied(
    client: GraphQLClient, session: AsyncSession
) -> None:
    await make_account(session, code="ACME")
    await make_product(session, sku="GOOD")
    key = await make_api_key(session, scopes=[ApiKeyScope.SYNC])
    records = [
        {"accountCode": "ACME", "sku": "GOOD", "price": "1.00"},
        {"accountCode": "NOBODY", "sku": "GOOD", "price": "1.00"},
        {"accountCode": "ACME", "sku": "GOOD", "price": "-1.00", "minQuantity": 0},
    ]

    data = await client.execute(SYNC, {"input": {"records": records}}, token=key)
    again = await client.execute(SYNC, {"input": {"records": records[:1]}}, token=key)

    assert data["syncAccountPrices"] == {
        "results": [
            {"index": 0, "key": "ACME/GOOD/1", "outcome": "CREATED", "errors": []},
            {
                "index": 1,
                "key": "NOBODY/GOOD/1",
                "outcome": "FAILED",
                "errors": [
                    {
                        "field": ["records", "1", "accountCode"],
                        "code": "NOT_FOUND",
                        "message": "No account NOBODY",
                    }
                ],
            },
            {
                "index": 2,
                "key": "ACME/GOOD/0",
                "outcome": "FAILED",
                "errors": [
                    {
                        "field": ["records", "2", "minQuantity"],
                        "code": "INVALID",
                        "message": "minQuantity must be at least 1",
                    },
                    {
                        "field": ["records", "2", "price"],
                        "code": "INVALID",
                        "message": "price must be at least 0",
                    },
                ],
            },
        ],
        "counts": {"created": 1, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 2},
        "errors": [],
    }
    assert again["syncAccountPrices"]["results"] == [
        {"index": 0, "key": "ACME/GOOD/1", "outcome": "UNCHANGED", "errors": []}
    ]
    assert len(await prices(session)) == 1


async def test_an_atomic_batch_with_a_bad_record_applies_nothing(
    client: GraphQLClient, session: AsyncSession
) -> None:
    await make_account(session, code="ACME")
    await make_product(session, sku="GOOD")
    key = await make_api_key(session, scopes=[ApiKeyScope.SYNC])

    data = await client.execute(
        SYNC,
        {
            "input": {
                "atomic": True,
                "records": [
                    {"accountCode": "ACME", "sku": "GOOD", "price": "1.00"},
                    {"accountCode": "ACME", "sku": "MISSING", "price": "1.00"},
                ],
            }
        },
        token=key,
    )

    assert data["syncAccountPrices"] == {
        "results": [],
        "counts": None,
        "errors": [
            {
                "field": ["records", "1", "sku"],
                "code": "NOT_FOUND",
                "message": "No product with SKU MISSING",
            }
        ],
    }
    assert await prices(session) == []


async def test_sync_needs_the_sync_scope(client: GraphQLClient, session: AsyncSession) -> None:
    reader = await make_api_key(session, scopes=[ApiKeyScope.READ])

    errors = await client.errors(SYNC, {"input": {"records": []}}, token=reader)

    assert [(e["message"], e["extensions"]["code"]) for e in errors] == [
        ("An API key with the `sync` scope is needed", "FORBIDDEN")
    ]


async def test_staff_enter_web_prices_that_later_erp_feeds_keep(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an ERP price, overridden by customer service on the platform
    account = await make_account(session, code="ACME")
    product = await make_product(session, sku="GOOD")
    await make_account_price(session, account=account, product=product, price="5.00")
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    service = await client.login("service", PASSWORD)
    assert account.id is not None
    key = await make_api_key(session, scopes=[ApiKeyScope.SYNC])

    # when staff set a forced price and the ERP then resends its own
    data = await client.execute(
        SET_PRICE,
        {
            "input": {
                "accountId": encode_global_id("Account", account.id),
                "sku": "good",
                "price": "4.25",
                "isForced": True,
            }
        },
        token=service,
    )
    await client.execute(
        SYNC,
        {
            "input": {
                "replace": True,
                "records": [{"accountCode": "ACME", "sku": "GOOD", "price": "5.00"}],
            }
        },
        token=key,
    )

    # then the WEB price stands
    assert data["setAccountPrice"] == {
        "price": {
            "minQuantity": 1,
            "price": "4.25",
            "isForced": True,
            "source": "WEB",
            "product": {"sku": "GOOD"},
        },
        "errors": [],
    }
    assert await prices(session) == [("GOOD", 1, "4.25", True, RecordSource.WEB)]


async def _account_codes_with_prices(session: AsyncSession) -> list[tuple[str, str]]:
    rows = await session.execute(
        select(col(Account.code), col(Product.sku))
        .select_from(AccountProductPrice)
        .join(Account, col(Account.id) == col(AccountProductPrice.account_id))
        .join(Product, col(Product.id) == col(AccountProductPrice.product_id))
        .order_by(col(Account.code), col(Product.sku))
    )
    return [(code, sku) for code, sku in rows]


async def test_a_full_replace_for_one_account_leaves_other_accounts_prices(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given ERP prices for ABC1234 and for C1001
    abc = await make_account(session, code="ABC1234")
    other = await make_account(session, code="C1001")
    bolt = await make_product(session, sku="BOLT")
    nut = await make_product(session, sku="NUT")
    await make_account_price(session, account=abc, product=bolt, price="1.00")
    await make_account_price(session, account=abc, product=nut, price="0.50")
    await make_account_price(session, account=other, product=bolt, price="1.10")
    key = await make_api_key(session, scopes=[ApiKeyScope.SYNC])

    # when the ERP replaces ABC1234's price list with the bolt alone
    data = await client.execute(
        SYNC,
        {
            "input": {
                "replace": True,
                "records": [{"accountCode": "ABC1234", "sku": "BOLT", "price": "1.00"}],
            }
        },
        token=key,
    )

    # then only ABC1234's missing price goes; C1001 keeps its own
    assert data["syncAccountPrices"]["results"] == [
        {"index": 0, "key": "ABC1234/BOLT/1", "outcome": "UNCHANGED", "errors": []},
        {"index": -1, "key": "ABC1234/NUT/1", "outcome": "DELETED", "errors": []},
    ]
    assert await _account_codes_with_prices(session) == [("ABC1234", "BOLT"), ("C1001", "BOLT")]
