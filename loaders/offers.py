"""The viewer's price and availability of products: `domain.pricing` applied to the catalogue
loaders' rows, and `ViewerQuoteLoader`, which batches every `price` of a request into one pass a
quantity. `resolvers.pricing` builds carts' offers and the guest pricing settings on top.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Self

from pydantic import BaseModel, Field

from domain.access import ViewerKind
from domain.pricing import (
    AccountPriceTier,
    ContractPrice,
    PriceDecision,
    availability,
    contract_is_current,
    is_restricted_for_buyer,
    price_for,
)
from loaders.accounts import AccountByIdLoader, MembershipByIdLoader, MembershipsByContactIdLoader
from loaders.base import RequestScope, RowLoader
from loaders.pricing import (
    AccountByCodeLoader,
    AccountPricesByAccountProductLoader,
    ContractPricesByAccountProductLoader,
    LevelPriceRowsByProductIdLoader,
    ProductTermsByIdLoader,
    RestrictedCommoditiesByAccountIdLoader,
    RestrictionByAccountProductLoader,
    SettingBySectionLoader,
)
from models import Account

GUEST_PRICING_SECTION = "guest_pricing"
# Seed 003 Recommendations: "assign different customer accounts to guest region users".
REGION_HEADER = "X-Tradepost-Region"


class GuestPricing(BaseModel):
    """Seed 003 "{GUEST}" user: the account whose prices anonymous visitors see, per region
    (the request's `X-Tradepost-Region` header), with a default for every other region."""

    default_account_code: str | None = None
    region_account_codes: dict[str, str] = Field(default_factory=dict)

    def account_code_for(self, region: str | None) -> str | None:
        if region is not None and region.strip().upper() in self.region_account_codes:
            return self.region_account_codes[region.strip().upper()]
        return self.default_account_code


@dataclass(frozen=True)
class Offer:
    product_id: int
    unit_price: Decimal | None  # None: no price for this buyer
    available: bool  # False: inactive or restricted for this buyer, and not on a contract
    reason: str | None  # why not available, readable by a shopper


@dataclass(frozen=True)
class Quote:
    """An offer with the decision that priced it (None when the price is hidden)."""

    offer: Offer
    decision: PriceDecision | None
    price_level: str | None


@dataclass(frozen=True)
class Buyer:
    """Whose prices apply: an account (None when no guest account is configured) and whether
    the SU23 restriction list applies to the person buying."""

    account: Account | None
    restrictions_apply: bool


def request_region(context: RequestScope) -> str | None:
    return context.request.headers.get(REGION_HEADER) if context.request is not None else None


async def guest_pricing(context: RequestScope) -> GuestPricing:
    row = await context.loader(SettingBySectionLoader).load(GUEST_PRICING_SECTION)
    return GuestPricing.model_validate(row.value if row is not None else {})


async def guest_account(context: RequestScope) -> Account | None:
    code = (await guest_pricing(context)).account_code_for(request_region(context))
    if code is None:
        return None
    account: Account | None = await context.loader(AccountByCodeLoader).load(code)
    return account


async def viewer_buyer_keys(context: RequestScope) -> tuple[int | None, int | None]:
    """(account id, membership id) the viewer buys for: a contact's active account and its
    membership there, a worker's active account; None (the guest account) otherwise."""
    viewer = context.viewer
    if viewer.active_account_id is None:
        return None, None
    if viewer.kind is not ViewerKind.CONTACT or viewer.contact_id is None:
        return viewer.active_account_id, None
    memberships = await context.loader(MembershipsByContactIdLoader).load(viewer.contact_id)
    membership = next((m for m in memberships if m.account_id == viewer.active_account_id), None)
    if membership is None:
        return viewer.active_account_id, None
    # `buyer_for` looks it up by id: the row is at hand, so that costs no second read.
    context.loader(MembershipByIdLoader).prime(membership.id, membership)
    return viewer.active_account_id, membership.id


class ViewerQuoteLoader(RowLoader):
    """The viewer's quote of (product id, quantity). Every `price` of a request joins one batch,
    priced by one `quotes_for` a quantity instead of one a product: the pricing loaders batched
    their SQL already, but each product still paid for its own pass through them."""

    context: RequestScope

    @classmethod
    def for_request(cls, context: RequestScope) -> Self:
        loader = super().for_request(context)
        loader.context = context
        return loader

    async def batch_load_fn(self, keys: Sequence[tuple[int, int]]) -> list[Quote | None]:
        account_id, membership_id = await viewer_buyer_keys(self.context)
        by_quantity: defaultdict[int, list[int]] = defaultdict(list)
        for product_id, quantity in keys:
            by_quantity[quantity].append(product_id)
        quotes: dict[tuple[int, int], Quote] = {}
        for quantity, product_ids in by_quantity.items():
            priced = await quotes_for(
                self.context,
                account_id=account_id,
                membership_id=membership_id,
                quantities=dict.fromkeys(product_ids, quantity),
            )
            quotes.update(((product_id, quantity), quote) for product_id, quote in priced.items())
        return [quotes.get(key) for key in keys]


async def buyer_for(
    context: RequestScope, *, account_id: int | None, membership_id: int | None
) -> Buyer:
    if account_id is None:
        return Buyer(account=await guest_account(context), restrictions_apply=False)
    account, memberships = await asyncio.gather(
        context.loader(AccountByIdLoader).load(account_id),
        context.loader(MembershipByIdLoader).load_many(
            [membership_id] if membership_id is not None else []
        ),
    )
    applies = any(
        m is not None and m.account_id == account_id and m.restricted_products_apply
        for m in memberships
    )
    return Buyer(account=account, restrictions_apply=applies)


async def quotes_for(
    context: RequestScope,
    *,
    account_id: int | None,
    membership_id: int | None,
    quantities: Mapping[int, int],
) -> dict[int, Quote]:
    """Price and availability of each product (by id) at its quantity, for the buyer."""
    buyer = await buyer_for(context, account_id=account_id, membership_id=membership_id)
    product_ids = list(quantities)
    account = buyer.account
    pairs = [(account.id, pid) for pid in product_ids] if account is not None else []
    # One batch per table, shared by every product (and every resolver awaiting alongside).
    accounts = [account.id] if account is not None else []
    products, level_prices, tiers, restrictions, commodities, on_contract = await asyncio.gather(
        context.loader(ProductTermsByIdLoader).load_many(product_ids),
        context.loader(LevelPriceRowsByProductIdLoader).load_many(product_ids),
        context.loader(AccountPricesByAccountProductLoader).load_many(pairs),
        context.loader(RestrictionByAccountProductLoader).load_many(pairs),
        context.loader(RestrictedCommoditiesByAccountIdLoader).load_many(accounts),
        _contract_prices(context, account.id if account is not None else None, product_ids),
    )
    restricted_commodities = {r.commodity for rows in commodities for r in rows}
    today = context.now.date()
    tiers_by_product = dict(zip(product_ids, tiers, strict=False))
    restricted_by_product = dict(zip(product_ids, restrictions, strict=False))
    quotes: dict[int, Quote] = {}
    for product, levels in zip(products, level_prices, strict=True):
        if product is None:
            continue
        contract_prices = on_contract.get(product.id, [])
        allowed = availability(
            is_active=product.is_active,
            is_restricted_for_buyer=is_restricted_for_buyer(
                restrictions_apply=buyer.restrictions_apply,
                product_on_list=restricted_by_product.get(product.id) is not None,
                commodity_on_list=product.commodity is not None
                and product.commodity in restricted_commodities,
            ),
            on_current_contract=any(
                contract_is_current(starts_on=c.starts_on, expires_on=c.expires_on, today=today)
                for c in contract_prices
            ),
        )
        decision = None
        level = account.price_level if account is not None else None
        # Seed 004: the buyer "cannot see prices for" what it may not buy.
        if account is not None and allowed.available:
            level_price = next((p.price for p in levels if p.price_level == level), None)
            decision = price_for(
                price_level=level,
                level_price=level_price,
                discount_percent=account.discount_percent,
                account_tiers=[
                    AccountPriceTier(
                        min_quantity=t.min_quantity, price=t.price, is_forced=t.is_forced
                    )
                    for t in tiers_by_product.get(product.id, [])
                ],
                contract_prices=contract_prices,
                quantity=quantities[product.id],
                today=today,
            )
        quotes[product.id] = Quote(
            offer=Offer(
                product_id=product.id,
                unit_price=decision.unit_price if decision else None,
                available=allowed.available,
                reason=allowed.reason,
            ),
            decision=decision,
            price_level=level,
        )
    return quotes


async def _contract_prices(
    context: RequestScope, account_id: int | None, product_ids: list[int]
) -> dict[int, list[ContractPrice]]:
    """Product id -> its prices on the account's contracts, current or not."""
    if account_id is None:
        return {}
    lines = await context.loader(ContractPricesByAccountProductLoader).load_many(
        [(account_id, product_id) for product_id in product_ids]
    )
    return {
        product_id: [
            ContractPrice(
                contract_code=line.code,
                price=line.price,
                starts_on=line.starts_on,
                expires_on=line.expires_on,
                is_forced=line.is_forced,
            )
            for line in product_lines
        ]
        for product_id, product_lines in zip(product_ids, lines, strict=True)
        if product_lines
    }
