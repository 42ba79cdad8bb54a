"""Loaders of the catalogue: products, their prices, contracts, restrictions, locations, stock.

Prices depend on the (account, product) pair; `PairKeyed` loaders take `(account_id,
product_id)`-style tuples and still cost one query per batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from sqlalchemy import BindParameter, Select, bindparam, select
from sqlmodel import col

from loaders.base import KEYS, KeyedLoader, RowByKeyLoader, RowsByKeyLoader
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

# The expanding parameter of a pair-keyed statement's first column (its second is `KEYS`).
FIRSTS = "firsts"


class PairKeyed(KeyedLoader):
    """Base for loaders keyed by two columns: keys are tuples in `key_columns` order.

    The batch asks `first IN (…) AND second IN (…)`: the cross product of its keys' two halves,
    which is exactly what the pricing pass asks (one account's prices of a page of products,
    its contracts' lines of those products), and a superset otherwise, whose extra rows no key
    picks up. The pair's unique index answers it; a row-value `(first, second) IN (VALUES …)`
    scanned the whole table on SQLite and PostgreSQL alike (tests/test_query_plans.py)."""

    key_columns: ClassVar[tuple[str, str]]
    order_by: ClassVar[tuple[str, ...]] = ("id",)

    def statement(self) -> Select[Any]:
        first, second = (self.column(name) for name in self.key_columns)
        firsts: BindParameter[Any] = bindparam(FIRSTS, expanding=True)
        seconds: BindParameter[Any] = bindparam(KEYS, expanding=True)
        return (
            select(self.model)
            .where(first.in_(firsts), second.in_(seconds))
            .order_by(*(getattr(self.model, name) for name in self.order_by))
        )

    def parameters(self, keys: Sequence[Any]) -> dict[str, Any]:
        return {
            FIRSTS: list(dict.fromkeys(first for first, _ in keys)),
            KEYS: list(dict.fromkeys(second for _, second in keys)),
        }

    def key_of(self, row: Any) -> Any:
        return tuple(getattr(row, name) for name in self.key_columns)


class ProductByIdLoader(RowByKeyLoader[Product]):
    model = Product


class ProductTermsByIdLoader(ProductByIdLoader):
    """What the pricing pass reads of a product: whether it is sold, and its commodity (SU23)."""

    columns = frozenset({"is_active", "commodity"})


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


class LevelPriceRowsByProductIdLoader(LevelPricesByProductIdLoader):
    """The pricing pass's read of level prices (a page of products has four levels each)."""

    columns = frozenset({"price_level", "price"})


class AccountPricesByAccountProductLoader(PairKeyed, RowsByKeyLoader[AccountProductPrice]):
    """Every quantity tier of one account's price for one product."""

    model = AccountProductPrice
    key_columns = ("account_id", "product_id")
    order_by = ("min_quantity",)
    columns = frozenset({"min_quantity", "price", "is_forced"})


class RestrictedCommoditiesByAccountIdLoader(RowsByKeyLoader[ProductRestriction]):
    """The commodity entries of each account's SU23 list."""

    model = ProductRestriction
    key_column = "account_id"
    order_by = ("account_id", "commodity")
    columns = frozenset({"commodity"})

    def statement(self) -> Select[Any]:
        return super().statement().where(col(ProductRestriction.commodity).is_not(None))


class RestrictionByAccountProductLoader(PairKeyed, RowByKeyLoader[ProductRestriction]):
    """Whether a product is on an account's SU23 list (a row or None)."""

    model = ProductRestriction
    key_columns = ("account_id", "product_id")
    columns = frozenset({"id"})


class ContractByIdLoader(RowByKeyLoader[Contract]):
    model = Contract


class ContractLinksByAccountIdLoader(RowsByKeyLoader[ContractAccount]):
    model = ContractAccount
    key_column = "account_id"
    order_by = ("account_id", "contract_id")
    columns = frozenset({"contract_id"})


class ContractLinksByContractIdLoader(RowsByKeyLoader[ContractAccount]):
    model = ContractAccount
    key_column = "contract_id"
    order_by = ("contract_id", "account_id")


class ContractProductPagesLoader(PageLoader):
    model = ContractProduct
    key_column = "contract_id"


# Where `ContractPricesByAccountProductLoader`'s columns come from, other than the line itself.
CONTRACT_PRICE_TABLES: dict[str, type[Any]] = {
    "account_id": ContractAccount,
    "code": Contract,
    "starts_on": Contract,
    "expires_on": Contract,
}


class ContractPricesByAccountProductLoader(PairKeyed, RowsByKeyLoader[ContractProduct]):
    """An account's price of a product on each contract it is assigned to, current or not, with
    the contract's code and dates: the contract links, the contracts and their lines in one
    statement (three before) for the pricing pass."""

    model = ContractProduct
    key_columns = ("account_id", "product_id")
    order_by = ("id",)
    columns = frozenset({"code", "starts_on", "expires_on", "price", "is_forced"})

    def column(self, name: str) -> Any:
        table = CONTRACT_PRICE_TABLES.get(name, self.model)
        return getattr(table, name)

    def statement(self) -> Select[Any]:
        return (
            super()
            .statement()
            .join(Contract, col(Contract.id) == col(ContractProduct.contract_id))
            .join(ContractAccount, col(ContractAccount.contract_id) == col(Contract.id))
        )


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
