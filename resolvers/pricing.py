"""The price and availability of products for a buyer, as carts ask for them.

A minimal rule until the pricing issue's full rule replaces this module (same interface): the
product's price at the account's price level, less the account's discount, rounded half-up to
cents; a product is available when it is active and priced. Contracts, quantity breaks,
restrictions and locations belong to the full rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlmodel import col

from api.context import Context
from loaders.accounts import AccountByIdLoader
from models import Product, ProductLevelPrice
from models.types import CENTS

HUNDRED = Decimal("100")


@dataclass(frozen=True)
class Offer:
    product_id: int
    unit_price: Decimal | None  # None: no price for this buyer
    available: bool  # False: inactive or restricted for this buyer, and not on a contract
    reason: str | None  # why not available, readable by a shopper


async def offers_for(
    context: Context,
    *,
    account_id: int | None,
    membership_id: int | None,
    quantities: Mapping[int, int],
) -> dict[int, Offer]:
    """An offer for every product id in `quantities` that exists."""
    if not quantities:
        return {}
    account = (
        await context.loader(AccountByIdLoader).load(account_id) if account_id is not None else None
    )
    products = await context.db.scalars(
        select(Product).where(col(Product.id).in_(list(quantities)))
    )
    level = account.price_level if account is not None else None
    prices: dict[int, Decimal] = {}
    if level is not None:
        rows = await context.db.execute(
            select(col(ProductLevelPrice.product_id), col(ProductLevelPrice.price)).where(
                col(ProductLevelPrice.product_id).in_(list(quantities)),
                col(ProductLevelPrice.price_level) == level,
            )
        )
        prices = {row.product_id: row.price for row in rows}
    discount = account.discount_percent if account is not None else Decimal("0")
    offers: dict[int, Offer] = {}
    for product in products:
        assert product.id is not None
        base = prices.get(product.id)
        unit_price = (
            None
            if base is None
            else (base * (HUNDRED - discount) / HUNDRED).quantize(CENTS, rounding=ROUND_HALF_UP)
        )
        reason = None
        if not product.is_active:
            reason = f"{product.name} is no longer sold"
        elif unit_price is None:
            reason = f"{product.name} has no price for your account"
        offers[product.id] = Offer(
            product_id=product.id, unit_price=unit_price, available=reason is None, reason=reason
        )
    return offers
