"""Wallet objects: favourites lists and their items, saved searches, shipping accounts, cards."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from domain.payment_cards import is_expired
from domain.wallet import SavedSearchGrid
from loaders.pricing import ProductByIdLoader
from loaders.wallet import FavouritesItemPagesLoader
from models import FavouritesItem as FavouritesItemRow
from models import FavouritesList as FavouritesListRow
from models import Product as ProductRow
from schema.info import Info
from schema.relay import Connection, FromRow, Node, PageRequest, connection, paginate_related

strawberry.enum(SavedSearchGrid)


@strawberry.type(description="A product on a favourites list.")
class FavouritesItem:
    product_id: strawberry.Private[int]
    added_at: datetime

    @classmethod
    def from_row(cls, row: FavouritesItemRow) -> FavouritesItem:
        return cls(product_id=row.product_id, added_at=row.added_at)

    async def _product(self, info: Info) -> ProductRow:
        product: ProductRow = await info.context.loader(ProductByIdLoader).load(self.product_id)
        return product

    @strawberry.field
    async def sku(self, info: Info) -> str:
        return (await self._product(info)).sku

    @strawberry.field
    async def product_name(self, info: Info) -> str:
        return (await self._product(info)).name


@strawberry.type(description="A named product list of a contact, private or shared.")
class FavouritesList(Node, FromRow):
    row: strawberry.Private[FavouritesListRow]
    name: str
    is_shared: bool = strawberry.field(description="Shared lists are visible to the account.")
    created_at: datetime
    updated_at: datetime

    @connection(description="The list's products, in the order they were added.")
    async def items(
        self,
        info: Info,
        page: PageRequest,
    ) -> Connection[FavouritesItem]:
        return await paginate_related(
            info,
            FavouritesItemPagesLoader,
            self.db_id,
            page,
            FavouritesItem.from_row,
        )


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
