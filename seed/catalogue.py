"""The demo catalogue: products on four price levels, account prices with quantity breaks,
contracts (one expired, one forced), SU23 restrictions, locations, stock and guest pricing.

Named records go through the resolvers the API's mutations use (the ERP feeds for what an ERP
would send), so the demo data obeys the same rules as real data. The 1,200 generated products and
their stock are checked by the same rule (`validate_product`) and written in multi-row inserts:
through the feed, one savepoint and a dozen statements a record, they took most of the seed's
time.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import insert, select
from sqlmodel import col

from core.context import Context
from domain.access import WorkerPermission
from domain.catalogue import validate_product
from domain.enums import SurchargeKind
from domain.errors import raise_if_any
from models import Account, Location, Product, ProductLevelPrice, ProductStock, Worker
from resolvers import catalogue, contracts, locations, pricing, workers
from resolvers.catalogue import AccountPriceRecord, ProductRecord
from resolvers.contracts import ContractLine, ContractRecord
from resolvers.locations import LocationRecord, StockRecord

PRODUCT_COUNT = 1200
# Markups on a random cost; D is the retail level of the guest account, so the dearest.
LEVEL_MARKUPS = {
    "A": Decimal("1.60"),
    "B": Decimal("1.45"),
    "C": Decimal("1.30"),
    "D": Decimal("1.75"),
}
_ITEMS = (
    "Bolt",
    "Nut",
    "Washer",
    "Hinge",
    "Bracket",
    "Pipe",
    "Valve",
    "Cable",
    "Drill bit",
    "Sealant",
    "Glove",
    "Hammer",
    "Saw blade",
    "Screw",
    "Anchor",
    "Clamp",
)
_KINDS = ("Stainless", "Galvanised", "Heavy-duty", "Zinc", "Brass", "Nylon", "Trade", "Compact")
_LOCATIONS = (
    LocationRecord("SYD", "Sydney warehouse"),
    LocationRecord("MEL", "Melbourne warehouse", SurchargeKind.FIXED, Decimal("15.00")),
    LocationRecord("PER", "Perth depot", SurchargeKind.PERCENT, Decimal("5.00")),
)


def sku(number: int) -> str:
    return f"TP-{number:05d}"


# A named demo product: SKU, name and its price at each of the levels A to D.
NamedProduct = tuple[str, str, tuple[str, str, str, str]]


async def sync_named_products(context: Context, products: Sequence[NamedProduct]) -> None:
    """Named demo products through the ERP product feed, priced at every level like the rest of
    the catalogue, so that every demo buyer sees a price for them."""
    await catalogue.sync_products(
        context,
        [
            ProductRecord(
                sku=sku,
                name=name,
                erp_key=f"ERP-{sku}",
                level_prices={
                    level: Decimal(price)
                    for level, price in zip(LEVEL_MARKUPS, prices, strict=True)
                },
            )
            for sku, name, prices in products
        ],
        atomic=True,
    )


async def seed_catalogue(context: Context) -> None:
    rng = random.Random(2026)
    await locations.sync_locations(context, list(_LOCATIONS), atomic=True)

    products = []
    for number in range(1, PRODUCT_COUNT + 1):
        cost = Decimal(rng.randrange(50, 50000)) / 100
        products.append(
            ProductRecord(
                sku=sku(number),
                name=f"{rng.choice(_KINDS)} {rng.choice(_ITEMS).lower()} {number}",
                unit="EA" if number % 10 else "BOX",
                # Every 50th product is a chemical (ABC1234 may not buy them), every 97th no
                # longer sold.
                commodity="CHEM" if number % 50 == 0 else None,
                is_active=number % 97 != 0,
                erp_key=f"ERP-P{number}",
                level_prices={
                    level: (cost * markup).quantize(Decimal("0.01"))
                    for level, markup in LEVEL_MARKUPS.items()
                },
            )
        )
    stock = [
        StockRecord(sku(number), location.code, rng.randrange(0, 500))
        for number in range(1, 201)
        for location in _LOCATIONS
    ]
    await _insert_products(context, products, stock)

    accounts = {a.code: a for a in await context.db.scalars(select(Account))}
    abc = accounts["ABC1234"]
    # Account prices with quantity breaks for ABC, as its ERP sends them; one forced dearer.
    tiers = [
        AccountPriceRecord("ABC1234", sku(number), Decimal(price), min_quantity)
        for number in range(1, 21)
        for min_quantity, price in ((1, "4.00"), (10, "3.50"), (50, "3.00"))
    ]
    dearer = _level_c_price(products, 21) + Decimal("5.00")
    tiers.append(AccountPriceRecord("ABC1234", sku(21), dearer, 1, is_forced=True))
    await catalogue.sync_account_prices(context, tiers, atomic=True, replace=False)
    # A price customer service agreed on the platform: ERP feeds never overwrite it.
    await catalogue.set_account_price(
        context, abc.id, sku=sku(22), price=Decimal("1.99"), min_quantity=1, is_forced=False
    )

    today = context.now.date()
    await contracts.sync_contracts(
        context,
        [
            ContractRecord(
                code="ABC-2025",
                name="2025 supply agreement (expired)",
                starts_on=today - timedelta(days=400),
                expires_on=today - timedelta(days=35),
                products=[ContractLine(sku(n), Decimal("0.50")) for n in range(1, 6)],
                account_codes=["ABC1234"],
            ),
            ContractRecord(
                code="ABC-LOCK",
                name="Locked-in pricing",
                starts_on=today - timedelta(days=30),
                expires_on=today + timedelta(days=335),
                products=[
                    ContractLine(
                        sku(30), _level_c_price(products, 30) + Decimal("2.00"), is_forced=True
                    ),
                    ContractLine(sku(31), Decimal("1.00")),
                    # A restricted commodity and a product no longer sold, made available.
                    ContractLine(sku(50), Decimal("5.00")),
                    ContractLine(sku(97), Decimal("5.00")),
                ],
                account_codes=["ABC1234", "C1001"],
            ),
        ],
        atomic=True,
    )
    # SU23: products ABC may not buy when a contact's "restricted products apply" (Bill).
    await catalogue.set_product_restrictions(
        context, abc.id, [sku(40), sku(41), sku(97)], commodities=["CHEM"]
    )

    await locations.set_account_locations(context, abc.id, codes=["SYD", "MEL"], primary_code="SYD")
    generated = sorted(code for code in accounts if code.startswith("C"))
    for index, code in enumerate(generated):
        location = _LOCATIONS[index % len(_LOCATIONS)].code
        await locations.set_account_locations(
            context, accounts[code].id, codes=[location], primary_code=location
        )

    rep1 = await context.db.scalar(select(Worker).where(col(Worker.username) == "rep1"))
    assert rep1 is not None
    await workers.set_worker_permission(
        context, rep1.id, WorkerPermission.MANAGE_CONTRACTS, granted=True
    )
    await pricing.update_guest_pricing(
        context,
        default_account_code="WEB_RETAIL",
        region_account_codes={"WA": "WEB_WA"},
    )


async def _insert_products(
    context: Context, products: list[ProductRecord], stock: list[StockRecord]
) -> None:
    """New products with their level prices and stock, a few statements for the lot."""
    raise_if_any(
        [e for p in products for e in validate_product(sku=p.sku, name=p.name, unit=p.unit)]
    )
    now = context.now
    ids = {
        row.sku: row.id
        for row in await context.db.execute(
            insert(Product).returning(col(Product.id), col(Product.sku)),
            [
                {
                    "sku": p.sku,
                    "name": p.name,
                    "unit": p.unit,
                    "is_active": p.is_active,
                    "commodity": p.commodity,
                    "erp_key": p.erp_key,
                    "created_at": now,
                    "updated_at": now,
                }
                for p in products
            ],
        )
    }
    await context.db.execute(
        insert(ProductLevelPrice),
        [
            {"product_id": ids[p.sku], "price_level": level, "price": price}
            for p in products
            for level, price in (p.level_prices or {}).items()
        ],
    )
    location_ids = {
        row.code: row.id
        for row in await context.db.scalars(
            select(Location).where(col(Location.code).in_([r.location_code for r in stock]))
        )
    }
    await context.db.execute(
        insert(ProductStock),
        [
            {
                "product_id": ids[r.sku],
                "location_id": location_ids[r.location_code],
                "quantity": r.quantity,
            }
            for r in stock
        ],
    )


def _level_c_price(products: list[ProductRecord], number: int) -> Decimal:
    """ABC1234's level price of product `number`: forced prices above it show forcing at work."""
    prices = products[number - 1].level_prices
    assert prices is not None
    return prices["C"]
