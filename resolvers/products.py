"""The catalogue list: which products match a search, a contract, or what the buyer may buy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, exists, select
from sqlmodel import col

from core.context import Context
from loaders.offers import buyer_for, viewer_buyer_keys
from models import ContractProduct, Product
from resolvers.contracts import readable_contract
from resolvers.pricing import available_products
from resolvers.search import rows_holding, search_term


@dataclass(frozen=True)
class ProductQuery:
    search: str | None = None
    contract_id: int | None = None
    available_only: bool = False


async def products_statement(context: Context, query: ProductQuery) -> Select[Any]:
    """Products matching `query` by SKU: search looks in SKU and name; `available_only` keeps
    what the viewer's buyer may buy (see `resolvers.pricing.available_products`)."""
    statement = select(Product)
    term = search_term(query.search)
    if term is not None:
        statement = statement.where(rows_holding(term, Product.id, (Product.sku, Product.name)))
    if query.contract_id is not None:
        # Which products a contract lists is the contract's business: unreadable ones match none.
        contract = await readable_contract(context, query.contract_id)
        statement = statement.where(
            exists().where(
                col(ContractProduct.product_id) == col(Product.id),
                col(ContractProduct.contract_id) == (contract.id if contract else None),
            )
        )
    if query.available_only:
        account_id, membership_id = await viewer_buyer_keys(context)
        buyer = await buyer_for(context, account_id=account_id, membership_id=membership_id)
        statement = statement.where(
            available_products(
                account_id=buyer.account.id if buyer.account else None,
                restrictions_apply=buyer.restrictions_apply,
                today=context.now.date(),
            )
        )
    return statement.order_by(col(Product.sku))
