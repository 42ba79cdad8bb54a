"""What each buyer pays and may buy: `domain.pricing` applied to rows, in batches.

`offers_for` is the one entry point for prices: `Product.price`, `Product.priceBreakdown`,
`products(filter: {availableOnly})` and carts all use it (or the same buyer rules), so a shopper
never sees one price on the product page and another in the cart. Every step loads through the
request's loaders, so pricing any number of products costs a constant number of statements.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import ColumnElement, and_, exists, false, or_, select
from sqlmodel import col

from core.context import Context
from domain.errors import DomainError, ErrorCode, raise_if_any
from loaders.offers import GUEST_PRICING_SECTION, GuestPricing, Offer, quotes_for
from models import (
    Account,
    Address,
    Contract,
    ContractAccount,
    ContractProduct,
    Product,
    ProductRestriction,
)
from models.column_limits import value_errors
from resolvers.platform_settings import save_section


async def offers_for(
    context: Context,
    *,
    account_id: int | None,
    membership_id: int | None,
    quantities: Mapping[int, int],
) -> dict[int, Offer]:
    """For carts: each product's unit price and availability for the buyer. `account_id=None`
    is the guest account; `membership_id` decides whether "restricted products apply"."""
    quotes = await quotes_for(
        context, account_id=account_id, membership_id=membership_id, quantities=quantities
    )
    return {product_id: quote.offer for product_id, quote in quotes.items()}


def available_products(
    *, account_id: int | None, restrictions_apply: bool, today: date
) -> ColumnElement[bool]:
    """The SQL condition matching exactly the products `domain.pricing.availability` allows for
    this buyer (used by `products(filter: {availableOnly: true})`)."""
    on_contract: ColumnElement[bool] = false()
    restricted: ColumnElement[bool] = false()
    if account_id is not None:
        on_contract = exists(
            select(col(ContractProduct.id))
            .join(Contract, col(Contract.id) == col(ContractProduct.contract_id))
            .join(ContractAccount, col(ContractAccount.contract_id) == col(Contract.id))
            .where(
                col(ContractProduct.product_id) == col(Product.id),
                col(ContractAccount.account_id) == account_id,
                col(Contract.starts_on) <= today,
                col(Contract.expires_on) >= today,
            )
        )
        if restrictions_apply:
            restricted = or_(
                exists(
                    select(col(ProductRestriction.id)).where(
                        col(ProductRestriction.product_id) == col(Product.id),
                        col(ProductRestriction.account_id) == account_id,
                    )
                ),
                exists(
                    select(col(ProductRestriction.id)).where(
                        col(ProductRestriction.commodity) == col(Product.commodity),
                        col(ProductRestriction.account_id) == account_id,
                    )
                ),
            )
    return or_(on_contract, and_(col(Product.is_active), ~restricted))


async def update_guest_pricing(
    context: Context, *, default_account_code: str | None, region_account_codes: dict[str, str]
) -> GuestPricing:
    """Set which accounts' prices anonymous visitors see; every named account must exist."""
    default = default_account_code.strip().upper() if default_account_code else None
    regions = {r.strip().upper(): c.strip().upper() for r, c in region_account_codes.items()}
    named = [("defaultAccountCode", default)] + [
        (f"regions.{index}.accountCode", code) for index, code in enumerate(regions.values())
    ]
    # A region is named as an address names it.
    raise_if_any(
        [
            error
            for index, region in enumerate(region_account_codes)
            for error in value_errors(
                Address.region, region, field=["regions", str(index), "region"]
            )
        ]
    )
    existing = set(
        await context.db.scalars(
            select(col(Account.code)).where(col(Account.code).in_([c for _, c in named if c]))
        )
    )
    raise_if_any(
        [
            DomainError(ErrorCode.NOT_FOUND, f"No account {code}", field=path.split("."))
            for path, code in named
            if code is not None and code not in existing
        ]
    )
    return await save_section(
        context,
        GUEST_PRICING_SECTION,
        GuestPricing,
        {"default_account_code": default, "region_account_codes": regions},
    )
