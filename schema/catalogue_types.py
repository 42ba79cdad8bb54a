"""Products, the price each viewer sees and why, locations and stock."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from domain.enums import RecordSource, SurchargeKind
from domain.pricing import PriceCandidate as PriceCandidateValue
from domain.pricing import PriceRule
from loaders.offers import Quote, ViewerQuoteLoader, viewer_buyer_keys
from loaders.pricing import LocationByIdLoader, ProductByIdLoader
from models import AccountLocation as AccountLocationRow
from models import ProductStock
from resolvers.locations import visible_stock
from schema.info import Info
from schema.relay import FromRow, Node

strawberry.enum(PriceRule)
strawberry.enum(SurchargeKind)


async def viewer_quote(info: Info, product_id: int, quantity: int) -> Quote | None:
    """The viewer's quote for one product; every product of a page joins the same batches
    (`quantity` is at least 1: `schema.argument_ranges`)."""
    quote: Quote | None = await info.context.loader(ViewerQuoteLoader).load((product_id, quantity))
    return quote


def unit_price(quote: Quote | None) -> Decimal | None:
    """`Product.price`: the quote's unit price; None where the viewer may not buy (both read
    paths)."""
    return quote.offer.unit_price if quote else None


@strawberry.type(description="A price the pricing rule considered.")
class PriceCandidate:
    rule: PriceRule
    price: Decimal
    is_forced: bool = strawberry.field(description="Applies even when dearer than the others.")
    applies: bool = strawberry.field(
        description="False for a quantity break not reached or a contract out of its dates."
    )
    note: str
    min_quantity: int | None = strawberry.field(description="Account prices: the quantity break.")
    contract_code: str | None
    undiscounted_price: Decimal | None = strawberry.field(
        description="Level prices: the price before the account's discount."
    )

    @classmethod
    def from_value(cls, value: PriceCandidateValue) -> PriceCandidate:
        return cls(
            rule=value.rule,
            price=value.price,
            is_forced=value.is_forced,
            applies=value.applies,
            note=value.note,
            min_quantity=value.min_quantity,
            contract_code=value.contract_code,
            undiscounted_price=value.undiscounted_price,
        )


@strawberry.type(description="Why the viewer sees the price it sees.")
class PriceBreakdown:
    quantity: int
    unit_price: Decimal | None = strawberry.field(description="Null: no price for this buyer.")
    rule: PriceRule | None = strawberry.field(description="The rule of the winning candidate.")
    price_level: str | None
    available: bool
    reason: str | None = strawberry.field(description="Why the product is not available.")
    candidates: list[PriceCandidate]

    @classmethod
    def from_quote(cls, quote: Quote, quantity: int) -> PriceBreakdown:
        decision = quote.decision
        return cls(
            quantity=quantity,
            unit_price=quote.offer.unit_price,
            rule=decision.rule if decision else None,
            price_level=quote.price_level,
            available=quote.offer.available,
            reason=quote.offer.reason,
            candidates=[PriceCandidate.from_value(c) for c in decision.candidates]
            if decision
            else [],
        )


@strawberry.type(description="A place products are sold and shipped from.")
class Location(Node, FromRow):
    code: str
    name: str
    surcharge_kind: SurchargeKind
    surcharge_value: Decimal = strawberry.field(
        description="A percentage of the goods (PERCENT) or an amount (FIXED)."
    )


@strawberry.type(description="Units of a product at one location.")
class StockLevel:
    location_id: strawberry.Private[int]
    quantity: int

    @strawberry.field
    async def location(self, info: Info) -> Location:
        row = await info.context.loader(LocationByIdLoader).load(self.location_id)
        return Location.from_row(row)

    @classmethod
    def from_row(cls, row: ProductStock) -> StockLevel:
        return cls(location_id=row.location_id, quantity=row.quantity)


@strawberry.type(description="A location of an account; one of them is its primary location.")
class AccountLocation:
    location_id: strawberry.Private[int]
    is_primary: bool

    @strawberry.field
    async def location(self, info: Info) -> Location:
        row = await info.context.loader(LocationByIdLoader).load(self.location_id)
        return Location.from_row(row)

    @classmethod
    def from_row(cls, row: AccountLocationRow) -> AccountLocation:
        return cls(location_id=row.location_id, is_primary=row.is_primary)


@strawberry.type(description="A product of the catalogue.")
class Product(Node, FromRow):
    sku: str
    name: str
    description: str | None
    unit: str
    is_active: bool
    commodity: str | None = strawberry.field(
        description="The commodity (product group) code, which an account's SU23 restriction "
        "list may name."
    )
    erp_key: str | None
    created_at: datetime
    updated_at: datetime

    @strawberry.field(
        description="Unit price for the viewer's active account (the guest account for "
        "anonymous visitors) at this quantity; null when it may not buy the product."
    )
    async def price(self, info: Info, quantity: int = 1) -> Decimal | None:
        return unit_price(await viewer_quote(info, self.db_id, quantity))

    @strawberry.field(description="How `price` was worked out: the winning rule and candidates.")
    async def price_breakdown(self, info: Info, quantity: int = 1) -> PriceBreakdown | None:
        quote = await viewer_quote(info, self.db_id, quantity)
        return PriceBreakdown.from_quote(quote, quantity) if quote else None

    @strawberry.field(
        description="Stock at the locations the viewer may see: its account's locations; "
        "integrators and workers with SEE_ALL_STOCK see every location."
    )
    async def stock(self, info: Info) -> list[StockLevel]:
        account_id, _ = await viewer_buyer_keys(info.context)
        rows = await visible_stock(info.context, self.db_id, buyer_account_id=account_id)
        return [StockLevel.from_row(row) for row in rows]


@strawberry.type(description="An account-specific price from a quantity up (seed 003).")
class AccountProductPrice(Node, FromRow):
    product_id: strawberry.Private[int]
    min_quantity: int
    price: Decimal
    is_forced: bool
    source: RecordSource = strawberry.field(
        description="ERP prices are replaced by full ERP feeds; WEB prices never are."
    )
    updated_at: datetime

    @strawberry.field
    async def product(self, info: Info) -> Product:
        row = await info.context.loader(ProductByIdLoader).load(self.product_id)
        return Product.from_row(row)
