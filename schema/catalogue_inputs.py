"""Inputs of the catalogue's queries and mutations, and the records of its ERP feeds."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from domain.enums import SurchargeKind
from schema.sync_types import SyncInput


@strawberry.input
class ProductFilter:
    search: str | None = strawberry.field(default=None, description="Matches SKU or name.")
    contract_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only the products of this contract."
    )
    available_only: bool = strawberry.field(
        default=False, description="Only what the viewer's account may buy."
    )


@strawberry.input
class LevelPriceInput:
    price_level: str
    price: Decimal


@strawberry.input(description="A product from the ERP, keyed by SKU.")
class ProductRecordInput:
    sku: str
    name: str
    description: str | None = None
    unit: str = "EA"
    is_active: bool = True
    commodity: str | None = strawberry.field(
        default=None, description="The commodity (product group) code, for SU23 lists."
    )
    erp_key: str | None = None
    level_prices: list[LevelPriceInput] | None = strawberry.field(
        default=None, description="Prices per level; levels not listed keep their price."
    )


@strawberry.input
class SyncProductsInput(SyncInput):
    records: list[ProductRecordInput]


@strawberry.input(description="One product's price at one price level.")
class PriceLevelRecordInput:
    sku: str
    price_level: str
    price: Decimal


@strawberry.input
class SyncPriceLevelsInput(SyncInput):
    records: list[PriceLevelRecordInput]
    replace: bool = strawberry.field(
        default=False,
        description="The batch is the full price list of the products in it: delete their "
        "levels missing from it. Other products' prices are not touched.",
    )
    run_id: strawberry.ID | None = strawberry.field(
        default=None, description="Stage the records in this open LEVEL_PRICES sync run."
    )


@strawberry.input(description="An account's price for a product from `minQuantity` units up.")
class AccountPriceRecordInput:
    account_code: str
    sku: str
    price: Decimal
    min_quantity: int = 1
    is_forced: bool = False


@strawberry.input
class SyncAccountPricesInput(SyncInput):
    records: list[AccountPriceRecordInput]
    replace: bool = strawberry.field(
        default=False,
        description="The batch is the full price list of the accounts in it: delete their ERP "
        "prices missing from it. Other accounts' prices, and prices entered on the platform "
        "(WEB), are never deleted. A larger export goes through a sync run (`openSyncRun`).",
    )
    run_id: strawberry.ID | None = strawberry.field(
        default=None, description="Stage the records in this open ACCOUNT_PRICES sync run."
    )


@strawberry.input
class LocationRecordInput:
    code: str
    name: str
    surcharge_kind: SurchargeKind = SurchargeKind.NONE
    surcharge_value: Decimal = Decimal("0")


@strawberry.input
class SyncLocationsInput(SyncInput):
    records: list[LocationRecordInput]


@strawberry.input
class StockRecordInput:
    sku: str
    location_code: str
    quantity: int


@strawberry.input
class SyncStockInput(SyncInput):
    records: list[StockRecordInput]


@strawberry.input(description="A price entered on the platform (WEB): ERP feeds never change it.")
class SetAccountPriceInput:
    account_id: strawberry.ID
    sku: str
    price: Decimal
    min_quantity: int = 1
    is_forced: bool = False


@strawberry.input
class SetAccountLocationsInput:
    account_id: strawberry.ID
    location_codes: list[str]
    primary_location_code: str


@strawberry.input(description="SU23: the products the account may not buy (the whole list).")
class SetProductRestrictionsInput:
    account_id: strawberry.ID
    skus: list[str]
    commodities: list[str] = strawberry.field(
        default_factory=list, description="Commodity codes: every product of each is restricted."
    )


@strawberry.input
class GuestRegionInput:
    region: str
    account_code: str


@strawberry.input
class UpdateGuestPricingInput:
    default_account_code: str | None = None
    regions: list[GuestRegionInput] = strawberry.field(default_factory=list)
