"""Loaders of the catalogue: products, their prices, contracts, restrictions, locations, stock.

Prices depend on the (account, product) pair; `PairKeyed` loaders take `(account_id,
product_id)`-style tuples and still cost one query per batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any, ClassVar

from sqlalchemy import Select, and_, or_, select
from sqlmodel import col

from loaders.base import RowByKeyLoader, RowsByKeyLoader
from loaders.pages import PageLoader
from models import (
    Account,
    AccountLocation,
    AccountProductPrice,
    Contract,
    ContractAccount,
    ContractProduct,
    Location,
    PlatformSetting,
    Product,
    ProductLevelPrice,
    ProductRestriction,
    ProductStock,
)


class PairKeyed:
    """Mixin for loaders keyed by two columns: keys are tuples in `key_columns` order.

    The batch asks `first = ? AND second IN (…)` for each first value (a request prices for one
    account, so one such term), which the pair's unique index answers; a row-value
    `(first, second) IN (VALUES …)` scanned the whole table on SQLite and PostgreSQL alike
    (tests/test_query_plans.py)."""

    model: ClassVar[type[Any]]
    key_columns: ClassVar[tuple[str, str]]
    order_by: ClassVar[tuple[str, ...]] = ("id",)

    def statement(self, keys: Sequence[Any]) -> Select[Any]:
        first, second = (getattr(self.model, name) for name in self.key_columns)
        seconds: defaultdict[Any, list[Any]] = defaultdict(list)
        for first_key, second_key in keys:
            seconds[first_key].append(second_key)
        return (
            select(self.model)
            .where(
                or_(*(and_(first == key, second.in_(values)) for key, values in seconds.items()))
            )
            .order_by(*(getattr(self.model, name) for name in self.order_by))
        )

    def key_of(self, row: Any) -> Any:
        return tuple(getattr(row, name) for name in self.key_columns)


class ProductByIdLoader(RowByKeyLoader[Product]):
    model = Product


class ProductBySkuLoader(RowByKeyLoader[Product]):
    model = Product
    key_column = "sku"


class AccountByCodeLoader(RowByKeyLoader[Account]):
    model = Account
    key_column = "code"


class SettingBySectionLoader(RowByKeyLoader[PlatformSetting]):
    model = PlatformSetting
    key_column = "section"


class LevelPricesByProductIdLoader(RowsByKeyLoader[ProductLevelPrice]):
    model = ProductLevelPrice
    key_column = "product_id"
    order_by = ("product_id", "price_level")


class AccountPricesByAccountProductLoader(PairKeyed, RowsByKeyLoader[AccountProductPrice]):
    """Every quantity tier of one account's price for one product."""

    model = AccountProductPrice
    key_columns = ("account_id", "product_id")
    order_by = ("min_quantity",)


class RestrictedCommoditiesByAccountIdLoader(RowsByKeyLoader[ProductRestriction]):
    """The commodity entries of each account's SU23 list."""

    model = ProductRestriction
    key_column = "account_id"
    order_by = ("account_id", "commodity")

    def statement(self, keys: Sequence[Any]) -> Select[Any]:
        return super().statement(keys).where(col(ProductRestriction.commodity).is_not(None))


class RestrictionByAccountProductLoader(PairKeyed, RowByKeyLoader[ProductRestriction]):
    model = ProductRestriction
    key_columns = ("account_id", "product_id")


class ContractByIdLoader(RowByKeyLoader[Contract]):
    model = Contract


class ContractLinksByAccountIdLoader(RowsByKeyLoader[ContractAccount]):
    model = ContractAccount
    key_column = "account_id"
    order_by = ("account_id", "contract_id")


class ContractLinksByContractIdLoader(RowsByKeyLoader[ContractAccount]):
    model = ContractAccount
    key_column = "contract_id"
    order_by = ("contract_id", "account_id")


class ContractProductPagesLoader(PageLoader):
    model = ContractProduct
    key_column = "contract_id"


class ContractProductByContractProductLoader(PairKeyed, RowByKeyLoader[ContractProduct]):
    model = ContractProduct
    key_columns = ("contract_id", "product_id")


class LocationByIdLoader(RowByKeyLoader[Location]):
    model = Location


class LocationByCodeLoader(RowByKeyLoader[Location]):
    model = Location
    key_column = "code"


class AccountLocationsByAccountIdLoader(RowsByKeyLoader[AccountLocation]):
    model = AccountLocation
    key_column = "account_id"
    order_by = ("account_id", "id")


class StockByProductIdLoader(RowsByKeyLoader[ProductStock]):
    model = ProductStock
    key_column = "product_id"
    order_by = ("product_id", "location_id")


class AccountPricePagesLoader(PageLoader):
    model = AccountProductPrice
    key_column = "account_id"
    order_by = ("product_id", "min_quantity")


class AccountPriceByIdLoader(RowByKeyLoader[AccountProductPrice]):
    model = AccountProductPrice
