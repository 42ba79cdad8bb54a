"""syncProducts / syncPriceLevels: idempotent upserts keyed by SKU."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from domain.enums import ApiKeyScope
from models import Product, ProductLevelPrice
from tests.factories import make_account, make_api_key, make_product
from tests.graphql_client import GraphQLClient

SYNC_PRODUCTS = """
mutation Sync($input: SyncProductsInput!) {
  syncProducts(input: $input) {
    results { index key outcome errors { field code message } }
    counts { created updated unchanged deleted failed }
    errors { field code message }
  }
}
"""

SYNC_LEVELS = """
mutation Sync($input: SyncPriceLevelsInput!) {
  syncPriceLevels(input: $input) {
    results { index key outcome errors { field code message } }
    counts { created updated unchanged deleted failed }
    errors { field code message }
  }
}
"""

PRODUCT = 'query { product(sku: "DRILL") { name unit isActive price } }'


async def test_products_are_created_then_updated_then_unchanged(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an integrator, and a staff-configured world where level C is visible
    key = await make_api_key(session, scopes=[ApiKeyScope.SYNC])
    record = {
        "sku": "drill",
        "name": "Drill",
        "levelPrices": [{"priceLevel": "c", "price": "99.00"}],
    }

    # when the same product arrives three times, the second time renamed
    first = await client.execute(SYNC_PRODUCTS, {"input": {"records": [record]}}, token=key)
    second = await client.execute(
        SYNC_PRODUCTS, {"input": {"records": [record | {"name": "Cordless drill"}]}}, token=key
    )
    third = await client.execute(
        SYNC_PRODUCTS, {"input": {"records": [record | {"name": "Cordless drill"}]}}, token=key
    )
    product = await client.execute(PRODUCT, token=key)

    # then it is created once and kept up to date
    assert [r["syncProducts"]["results"] for r in (first, second, third)] == [
        [{"index": 0, "key": "DRILL", "outcome": "CREATED", "errors": []}],
        [{"index": 0, "key": "DRILL", "outcome": "UPDATED", "errors": []}],
        [{"index": 0, "key": "DRILL", "outcome": "UNCHANGED", "errors": []}],
    ]
    assert product == {
        "product": {"name": "Cordless drill", "unit": "EA", "isActive": True, "price": None}
    }


async def test_level_prices_sync_by_sku_and_level(
    client: GraphQLClient, session: AsyncSession
) -> None:
    key = await make_api_key(session, scopes=[ApiKeyScope.SYNC])
    await make_account(session, code="C-LEVEL", price_level="C")
    await client.execute(
        SYNC_PRODUCTS, {"input": {"records": [{"sku": "DRILL", "name": "Drill"}]}}, token=key
    )

    data = await client.execute(
        SYNC_LEVELS,
        {
            "input": {
                "records": [
                    {"sku": "DRILL", "priceLevel": "C", "price": "80.00"},
                    {"sku": "DRILL", "priceLevel": "C", "price": "75.00"},
                    {"sku": "NOPE", "priceLevel": "C", "price": "1.00"},
                    {"sku": "DRILL", "priceLevel": "D", "price": "1.234"},
                ]
            }
        },
        token=key,
    )

    assert data["syncPriceLevels"] == {
        "results": [
            {"index": 0, "key": "DRILL/C", "outcome": "CREATED", "errors": []},
            {"index": 1, "key": "DRILL/C", "outcome": "UPDATED", "errors": []},
            {
                "index": 2,
                "key": "NOPE/C",
                "outcome": "FAILED",
                "errors": [
                    {
                        "field": ["records", "2", "sku"],
                        "code": "NOT_FOUND",
                        "message": "No product with SKU NOPE",
                    }
                ],
            },
            {
                "index": 3,
                "key": "DRILL/D",
                "outcome": "FAILED",
                "errors": [
                    {
                        "field": ["records", "3", "price"],
                        "code": "INVALID",
                        "message": "price must have at most two decimal places",
                    }
                ],
            },
        ],
        "counts": {"created": 1, "updated": 1, "unchanged": 0, "deleted": 0, "failed": 2},
        "errors": [],
    }


async def test_a_bad_product_record_names_its_index_and_field(
    client: GraphQLClient, session: AsyncSession
) -> None:
    key = await make_api_key(session, scopes=[ApiKeyScope.SYNC])

    data = await client.execute(
        SYNC_PRODUCTS,
        {"input": {"records": [{"sku": "OK", "name": "Fine"}, {"sku": "BAD SKU", "name": ""}]}},
        token=key,
    )

    assert data["syncProducts"] == {
        "results": [
            {"index": 0, "key": "OK", "outcome": "CREATED", "errors": []},
            {
                "index": 1,
                "key": "BAD SKU",
                "outcome": "FAILED",
                "errors": [
                    {
                        "field": ["records", "1", "sku"],
                        "code": "INVALID",
                        "message": "sku may hold only letters, digits and . _ / -",
                    },
                    {
                        "field": ["records", "1", "name"],
                        "code": "REQUIRED",
                        "message": "name is required",
                    },
                ],
            },
        ],
        "counts": {"created": 1, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 1},
        "errors": [],
    }


async def test_a_level_price_replace_covers_the_products_in_the_batch_only(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given two products priced at levels A and B
    key = await make_api_key(session, scopes=[ApiKeyScope.SYNC])
    await make_product(session, sku="DRILL", level_prices={"A": "90.00", "B": "85.00"})
    await make_product(session, sku="SAW", level_prices={"A": "40.00", "B": "38.00"})
    await session.commit()

    # when the ERP replaces DRILL's price list with level A alone
    data = await client.execute(
        SYNC_LEVELS,
        {
            "input": {
                "replace": True,
                "records": [{"sku": "DRILL", "priceLevel": "A", "price": "90.00"}],
            }
        },
        token=key,
    )

    # then DRILL loses level B and SAW keeps both
    assert data["syncPriceLevels"]["results"] == [
        {"index": 0, "key": "DRILL/A", "outcome": "UNCHANGED", "errors": []},
        {"index": -1, "key": "DRILL/B", "outcome": "DELETED", "errors": []},
    ]
    assert await level_prices(session) == [("DRILL", "A"), ("SAW", "A"), ("SAW", "B")]


async def level_prices(session: AsyncSession) -> list[tuple[str, str]]:
    rows = await session.execute(
        select(col(Product.sku), col(ProductLevelPrice.price_level))
        .select_from(ProductLevelPrice)
        .join(Product, col(Product.id) == col(ProductLevelPrice.product_id))
        .order_by(col(Product.sku), col(ProductLevelPrice.price_level))
    )
    return [(sku, level) for sku, level in rows]
