"""Queries and mutations of the catalogue: products and prices, locations and stock, guest
pricing, the SU23 restriction list, and the ERP feeds."""

from __future__ import annotations

from typing import Any

import strawberry
from sqlalchemy import Select

from core.context import Context
from domain.erp import SyncFeed
from loaders import offers
from resolvers import catalogue, locations, pricing, products, sync_runs
from resolvers.catalogue import AccountPriceRecord, LevelPriceRecord, ProductRecord
from resolvers.locations import LocationRecord, StockRecord
from resolvers.products import ProductQuery
from schema.catalogue_inputs import (
    ProductFilter,
    SetAccountLocationsInput,
    SetAccountPriceInput,
    SetProductRestrictionsInput,
    SyncAccountPricesInput,
    SyncLocationsInput,
    SyncPriceLevelsInput,
    SyncProductsInput,
    SyncStockInput,
    UpdateGuestPricingInput,
)
from schema.catalogue_types import AccountLocation, AccountProductPrice, Product
from schema.customer_types import Account
from schema.info import Info
from schema.input_values import key_of, maybe_key, search_text
from schema.payloads import Payload, mutation
from schema.permissions import require_admin, require_staff
from schema.relay import Connection, PageRequest, connection, decode_id_of, paginate
from schema.sync_types import SyncResultsPayload, run_sync


@strawberry.type(description="Region of a visitor -> the account whose prices it sees.")
class GuestRegion:
    region: str
    account_code: str


@strawberry.type(
    description="Seed 003 '{GUEST}' user: the accounts whose prices anonymous visitors see. "
    "A visitor's region comes from the `X-Tradepost-Region` request header."
)
class GuestPricing:
    default_account_code: str | None
    regions: list[GuestRegion]

    @classmethod
    def from_settings(cls, settings: offers.GuestPricing) -> GuestPricing:
        return cls(
            default_account_code=settings.default_account_code,
            regions=[
                GuestRegion(region=region, account_code=code)
                for region, code in sorted(settings.region_account_codes.items())
            ],
        )


async def products_of(context: Context, filter: ProductFilter | None) -> Select[Any]:
    """`products(filter:)`'s statement, on both read paths (`schema.plans`)."""
    filter = filter or ProductFilter()
    query = ProductQuery(
        search=search_text(filter.search),
        # An ID of another type matches nothing, like an unknown contract.
        contract_id=(decode_id_of(filter.contract_id, "Contract") or 0)
        if filter.contract_id
        else None,
        available_only=filter.available_only,
    )
    return await products.products_statement(context, query)


@strawberry.type
class CatalogueQuery:
    @strawberry.field(description="A product by SKU; anyone may browse the catalogue.")
    async def product(self, info: Info, sku: str) -> Product | None:
        row = await catalogue.product_by_sku(info.context, sku)
        return Product.from_optional_row(row)

    @connection(description="The catalogue, by SKU.")
    async def products(
        self,
        info: Info,
        page: PageRequest,
        filter: ProductFilter | None = None,
    ) -> Connection[Product]:
        return await paginate(
            info,
            await products_of(info.context, filter),
            page,
            Product.from_row,
        )

    @strawberry.field(description="Which accounts' prices anonymous visitors see (staff).")
    async def guest_pricing(self, info: Info) -> GuestPricing:
        require_staff(info.context.viewer)
        return GuestPricing.from_settings(await offers.guest_pricing(info.context))


@strawberry.type
class SyncProductsPayload(SyncResultsPayload):
    pass


@strawberry.type
class SyncPriceLevelsPayload(SyncResultsPayload):
    pass


@strawberry.type
class SyncAccountPricesPayload(SyncResultsPayload):
    pass


@strawberry.type
class SyncLocationsPayload(SyncResultsPayload):
    pass


@strawberry.type
class SyncStockPayload(SyncResultsPayload):
    pass


@strawberry.type
class SetAccountPricePayload(Payload):
    price: AccountProductPrice | None = None


@strawberry.type
class SetAccountLocationsPayload(Payload):
    account: Account | None = None
    locations: list[AccountLocation] = strawberry.field(default_factory=list)


@strawberry.type
class SetProductRestrictionsPayload(Payload):
    account: Account | None = None
    restricted_products: list[Product] = strawberry.field(default_factory=list)
    restricted_commodities: list[str] = strawberry.field(default_factory=list)


@strawberry.type
class UpdateGuestPricingPayload(Payload):
    guest_pricing: GuestPricing | None = None


@strawberry.type
class CatalogueMutation:
    @strawberry.mutation(description="ERP products (and their level prices), keyed by SKU.")
    async def sync_products(self, info: Info, input: SyncProductsInput) -> SyncProductsPayload:
        records = [
            ProductRecord(
                sku=r.sku,
                name=r.name,
                description=r.description,
                unit=r.unit,
                is_active=r.is_active,
                commodity=r.commodity,
                erp_key=r.erp_key,
                level_prices={p.price_level: p.price for p in r.level_prices}
                if r.level_prices is not None
                else None,
            )
            for r in input.records
        ]
        return await run_sync(
            info,
            SyncProductsPayload,
            lambda: catalogue.sync_products(info.context, records, atomic=input.atomic),
        )

    @strawberry.mutation(description="ERP level prices, keyed by SKU and price level.")
    async def sync_price_levels(
        self, info: Info, input: SyncPriceLevelsInput
    ) -> SyncPriceLevelsPayload:
        records = [
            LevelPriceRecord(sku=r.sku, price_level=r.price_level, price=r.price)
            for r in input.records
        ]
        return await run_sync(
            info,
            SyncPriceLevelsPayload,
            lambda: (
                catalogue.sync_price_levels(
                    info.context, records, atomic=input.atomic, replace=input.replace
                )
                if input.run_id is None
                else sync_runs.stage(
                    info.context,
                    maybe_key(input.run_id, "SyncRun"),
                    SyncFeed.LEVEL_PRICES,
                    records,
                    atomic=input.atomic,
                    replace=input.replace,
                )
            ),
        )

    @strawberry.mutation(
        description="ERP account prices, keyed by account code, SKU and quantity break."
    )
    async def sync_account_prices(
        self, info: Info, input: SyncAccountPricesInput
    ) -> SyncAccountPricesPayload:
        records = [
            AccountPriceRecord(
                account_code=r.account_code,
                sku=r.sku,
                price=r.price,
                min_quantity=r.min_quantity,
                is_forced=r.is_forced,
            )
            for r in input.records
        ]
        return await run_sync(
            info,
            SyncAccountPricesPayload,
            lambda: (
                catalogue.sync_account_prices(
                    info.context, records, atomic=input.atomic, replace=input.replace
                )
                if input.run_id is None
                else sync_runs.stage(
                    info.context,
                    maybe_key(input.run_id, "SyncRun"),
                    SyncFeed.ACCOUNT_PRICES,
                    records,
                    atomic=input.atomic,
                    replace=input.replace,
                )
            ),
        )

    @strawberry.mutation(description="ERP locations and their surcharge rules, keyed by code.")
    async def sync_locations(self, info: Info, input: SyncLocationsInput) -> SyncLocationsPayload:
        records = [
            LocationRecord(
                code=r.code,
                name=r.name,
                surcharge_kind=r.surcharge_kind,
                surcharge_value=r.surcharge_value,
            )
            for r in input.records
        ]
        return await run_sync(
            info,
            SyncLocationsPayload,
            lambda: locations.sync_locations(info.context, records, atomic=input.atomic),
        )

    @strawberry.mutation(description="ERP stock per product and location.")
    async def sync_stock(self, info: Info, input: SyncStockInput) -> SyncStockPayload:
        records = [
            StockRecord(sku=r.sku, location_code=r.location_code, quantity=r.quantity)
            for r in input.records
        ]
        return await run_sync(
            info,
            SyncStockPayload,
            lambda: locations.sync_stock(info.context, records, atomic=input.atomic),
        )

    @mutation(
        SetAccountPricePayload,
        gate=require_staff,
        description="Enter an account price on the platform (staff).",
    )
    async def set_account_price(self, info: Info, input: SetAccountPriceInput) -> dict[str, object]:
        row = await catalogue.set_account_price(
            info.context,
            key_of(input.account_id, "Account", field="accountId"),
            sku=input.sku,
            price=input.price,
            min_quantity=input.min_quantity,
            is_forced=input.is_forced,
        )
        return {"price": AccountProductPrice.from_row(row)}

    @mutation(
        SetAccountLocationsPayload,
        gate=require_staff,
        description="Set an account's locations and its primary one (staff).",
    )
    async def set_account_locations(
        self, info: Info, input: SetAccountLocationsInput
    ) -> dict[str, object]:
        account, rows = await locations.set_account_locations(
            info.context,
            key_of(input.account_id, "Account", field="accountId"),
            codes=input.location_codes,
            primary_code=input.primary_location_code,
        )
        return {
            "account": Account.from_row(account),
            "locations": [AccountLocation.from_row(row) for row in rows],
        }

    @mutation(
        SetProductRestrictionsPayload,
        gate=require_staff,
        description="SU23: set the products and commodities an account may not buy (staff).",
    )
    async def set_product_restrictions(
        self, info: Info, input: SetProductRestrictionsInput
    ) -> dict[str, object]:
        account, rows = await catalogue.set_product_restrictions(
            info.context,
            key_of(input.account_id, "Account", field="accountId"),
            input.skus,
            commodities=input.commodities,
        )
        products = await catalogue.products_by_id(
            info.context, [r.product_id for r in rows if r.product_id is not None]
        )
        return {
            "account": Account.from_row(account),
            "restricted_products": Product.from_rows(products),
            "restricted_commodities": [r.commodity for r in rows if r.commodity],
        }

    @mutation(
        UpdateGuestPricingPayload,
        gate=require_admin,
        description="Which accounts' prices anonymous visitors see (ADMIN).",
    )
    async def update_guest_pricing(
        self, info: Info, input: UpdateGuestPricingInput
    ) -> dict[str, object]:
        settings = await pricing.update_guest_pricing(
            info.context,
            default_account_code=input.default_account_code,
            region_account_codes={r.region: r.account_code for r in input.regions},
        )
        return {"guest_pricing": GuestPricing.from_settings(settings)}
