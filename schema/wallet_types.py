"""Wallet objects: favourites lists and their items, saved searches, shipping accounts, cards."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from api.context import Context
from domain.payment_cards import is_expired
from domain.wallet import SavedSearchGrid
from loaders.pricing import ProductByIdLoader
from loaders.wallet import FavouritesItemsByListIdLoader
from models import FavouritesList as FavouritesListRow
from schema.relay import FromRow, Node

Info = strawberry.Info[Context, None]

strawberry.enum(SavedSearchGrid)


@strawberry.type(description="A product on a favourites list.")
class FavouritesItem:
    sku: str
    product_name: str
    added_at: datetime


@strawberry.type(description="A named product list of a contact, private or shared.")
class FavouritesList(Node, FromRow):
    row: strawberry.Private[FavouritesListRow]
    name: str
    is_shared: bool = strawberry.field(description="Shared lists are visible to the account.")
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    async def items(self, info: Info) -> list[FavouritesItem]:
        items = await info.context.loader(FavouritesItemsByListIdLoader).load(self.db_id)
        products = await info.context.loader(ProductByIdLoader).load_many(
            [i.product_id for i in items]
        )
        return [
            FavouritesItem(sku=p.sku, product_name=p.name, added_at=i.added_at)
            for i, p in zip(items, products, strict=True)
            if p is not None
        ]


@strawberry.type(description="A saved search of a data grid: the grid and its filter values.")
class SavedSearch(Node, FromRow):
    grid: SavedSearchGrid
    name: str
    filters: JSON = strawberry.field(description="The grid's filter input, as sent.")
    created_at: datetime


@strawberry.type(description="A third-party carrier account shipping is billed to.")
class ShippingAccount(Node, FromRow):
    carrier: str
    account_number: str
    name: str
    created_at: datetime
    updated_at: datetime


@strawberry.type(description="A vaulted credit card; the number itself is never kept.")
class CreditCard(Node, FromRow):
    brand: str
    last4: str
    expiry_month: int
    expiry_year: int
    holder_name: str
    created_at: datetime

    @strawberry.field(description="Past its expiry month.")
    def is_expired(self, info: Info) -> bool:
        return is_expired(
            expiry_month=self.expiry_month,
            expiry_year=self.expiry_year,
            today=info.context.now.date(),
        )
