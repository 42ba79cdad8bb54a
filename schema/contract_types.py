"""Contracts as the storefront's "My Items" page shows them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry

from domain.enums import RecordSource
from domain.pricing import contract_is_current
from loaders.pricing import ContractProductPagesLoader, ProductByIdLoader
from models import ContractProduct
from resolvers.contracts import ContractAccountPagesLoader
from schema.catalogue_types import Product
from schema.customer_types import Account
from schema.info import Info
from schema.relay import Connection, FromRow, Node, PageRequest, connection, paginate_related


@strawberry.type(description="A product on a contract, at the contract price.")
class ContractItem:
    product_id: strawberry.Private[int]
    price: Decimal
    is_forced: bool = strawberry.field(description="Applies even when dearer than other prices.")

    @classmethod
    def from_row(cls, row: ContractProduct) -> ContractItem:
        return cls(product_id=row.product_id, price=row.price, is_forced=row.is_forced)

    @strawberry.field
    async def product(self, info: Info) -> Product:
        row = await info.context.loader(ProductByIdLoader).load(self.product_id)
        return Product.from_row(row)


@strawberry.type(
    description="Products at agreed prices for the accounts assigned to it, between two dates "
    "(seed 003 'Customer Account Contracts')."
)
class Contract(Node, FromRow):
    code: str
    name: str
    starts_on: date
    expires_on: date = strawberry.field(description="The last day its prices apply.")
    source: RecordSource
    created_at: datetime
    updated_at: datetime

    @strawberry.field(description="Whether today is within the contract's dates.")
    def is_current(self, info: Info) -> bool:
        return contract_is_current(
            starts_on=self.starts_on, expires_on=self.expires_on, today=info.context.now.date()
        )

    @connection(description="The contract's products and prices ('My Items').")
    async def products(
        self,
        info: Info,
        page: PageRequest,
    ) -> Connection[ContractItem]:
        return await paginate_related(
            info,
            ContractProductPagesLoader,
            self.db_id,
            page,
            ContractItem.from_row,
        )

    @connection(description="The assigned accounts the viewer may see, by code.")
    async def accounts(
        self,
        info: Info,
        page: PageRequest,
    ) -> Connection[Account]:
        return await paginate_related(
            info,
            ContractAccountPagesLoader,
            self.db_id,
            page,
            Account.from_row,
        )
