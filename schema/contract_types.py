"""Contracts as the storefront's "My Items" page shows them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry

from domain.enums import RecordSource
from domain.pricing import contract_is_current
from loaders.pricing import (
    ContractLinksByContractIdLoader,
    ContractProductsByContractIdLoader,
    ProductByIdLoader,
)
from resolvers.access import readable_accounts
from schema.catalogue_types import Product
from schema.customer_types import Account, Info
from schema.relay import FromRow, Node


@strawberry.type(description="A product on a contract, at the contract price.")
class ContractItem:
    product_id: strawberry.Private[int]
    price: Decimal
    is_forced: bool = strawberry.field(description="Applies even when dearer than other prices.")

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

    @strawberry.field(description="The contract's products and prices ('My Items').")
    async def products(self, info: Info) -> list[ContractItem]:
        rows = await info.context.loader(ContractProductsByContractIdLoader).load(self.db_id)
        return [
            ContractItem(product_id=r.product_id, price=r.price, is_forced=r.is_forced)
            for r in rows
        ]

    @strawberry.field(description="The assigned accounts the viewer may see.")
    async def accounts(self, info: Info) -> list[Account]:
        links = await info.context.loader(ContractLinksByContractIdLoader).load(self.db_id)
        visible = await readable_accounts(info.context, [link.account_id for link in links])
        return [Account.from_row(visible[k.account_id]) for k in links if k.account_id in visible]
