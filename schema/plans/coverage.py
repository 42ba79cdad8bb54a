"""What the planned read path covers: the tables behind object types, their relations, and the
root fields it answers. Everything not named here runs on the generic path.

Each entry reads what its GraphQL field reads, through the same loaders, statements and rules
(`AddressFilter.kept`, `primary_address_row`, `accounts_statement`), selecting only the columns
the plan needs; `tests/test_planned_reads.py` holds every entry to the field it mirrors.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Select
from sqlmodel import SQLModel

from core.context import Context
from domain.checkout import order_number
from loaders.accounts import (
    AccountContactPagesLoader,
    AddressByIdLoader,
    AddressesByAccountIdLoader,
    ContactByIdLoader,
    MembershipsByAccountIdLoader,
    WorkerByIdLoader,
)
from loaders.base import RowByKeyLoader, RowsByKeyLoader
from loaders.carts import CartLinesByCartIdLoader, OrderLinesByOrderIdLoader
from loaders.columns import window_rows
from loaders.offers import ViewerQuoteLoader
from loaders.pages import PageLoader, Window
from loaders.pricing import ContractProductPagesLoader, ProductByIdLoader, ProductTermsByIdLoader
from models import (
    Account,
    AccountMembership,
    Address,
    Cart,
    CartLine,
    Contact,
    Contract,
    ContractProduct,
    Order,
    OrderLine,
    Product,
    Worker,
)
from resolvers import carts, orders
from resolvers.access import readable_account
from resolvers.catalogue import product_by_sku
from resolvers.contracts import ContractAccountPagesLoader, contract_by_code
from schema.cart_api import cart_row
from schema.cart_inputs import CartFilter
from schema.catalogue_api import products_of
from schema.catalogue_types import unit_price
from schema.customer_api import account_row, visible_accounts
from schema.customer_inputs import AddressFilter
from schema.customer_types import (
    Viewer,
    contracts_of,
    payment_types_of,
    primary_address_row,
    usable_membership_rows,
)
from schema.order_api import order_row
from schema.order_inputs import order_query
from schema.relay import Connection, PageRequest, page_of, paginate_list, windowed

# GraphQL object type -> the table its objects are rows of (`schema.relay.FromRow`); None for
# an object its root field builds (`Viewer`).
MODELS: dict[str, type[SQLModel] | None] = {
    "Account": Account,
    "AccountMembership": AccountMembership,
    "Address": Address,
    "Cart": Cart,
    "CartLine": CartLine,
    "Contact": Contact,
    "Contract": Contract,
    "ContractItem": ContractProduct,
    "Order": Order,
    "OrderLine": OrderLine,
    "Product": Product,
    "Viewer": None,
    "Worker": Worker,
}


class KeyedRelation(Protocol):
    """A relation whose rows one statement of `loader` reads for the whole level: every keyed
    relation of the level on the same loader asks with its parents' `key` attribute, and the
    rows found, by key, give each parent its value."""

    @property
    def loader(self) -> type[RowByKeyLoader[Any]] | type[RowsByKeyLoader[Any]]: ...

    @property
    def key(self) -> str: ...

    @property
    def parent_reads(self) -> frozenset[str]: ...

    # The related rows' attributes the relation itself reads (beyond what the plan selects).
    @property
    def reads(self) -> frozenset[str]: ...

    async def values(
        self, found: dict[Any, list[Any]], parents: Sequence[Any], arguments: dict[str, Any]
    ) -> list[Any]:
        """Per parent: a row, None, a list of rows, or a connection whose nodes are rows."""
        ...


class LoadedRelation(Protocol):
    """A relation read its own way (a windowed page loader, a statement per parent)."""

    @property
    def parent_reads(self) -> frozenset[str]: ...

    async def load(
        self,
        context: Context,
        parents: Sequence[Any],
        arguments: dict[str, Any],
        columns: frozenset[str],
    ) -> list[Any]: ...


Relation = KeyedRelation | LoadedRelation


async def load_by_key(
    context: Context,
    loader: type[RowByKeyLoader[Any]] | type[RowsByKeyLoader[Any]],
    keys: Sequence[Any],
    columns: frozenset[str],
) -> dict[Any, list[Any]]:
    """The rows the request's `loader` finds for `keys`, with only `columns`, by key."""
    return await context.loader(loader).found(keys, columns)


def _row(row: Any) -> Any:
    return row


class ByParentKey:
    """A relation that reads one attribute of its parents, `key`."""

    key: str

    @property
    def parent_reads(self) -> frozenset[str]:
        return frozenset({self.key})


@dataclass(frozen=True)
class ToOne(ByParentKey):
    """The row a parent's `key` attribute names (a `RowByKeyLoader`)."""

    loader: type[RowByKeyLoader[Any]]
    key: str
    reads: frozenset[str] = frozenset()

    async def values(
        self, found: dict[Any, list[Any]], parents: Sequence[Any], arguments: dict[str, Any]
    ) -> list[Any]:
        keys = [getattr(parent, self.key) for parent in parents]
        return [found[key][0] if key in found else None for key in keys]


@dataclass(frozen=True)
class Through(ToOne):
    """A leaf of the row a parent's `key` names (`CartLine.sku`, its product's `sku`)."""

    attribute: str = ""


@dataclass(frozen=True)
class AllOf(ByParentKey):
    """Every row sharing the parent's key, as a list (`Cart.lines`)."""

    loader: type[RowsByKeyLoader[Any]]
    key: str
    reads: frozenset[str] = frozenset()

    async def values(
        self, found: dict[Any, list[Any]], parents: Sequence[Any], arguments: dict[str, Any]
    ) -> list[Any]:
        return [found.get(getattr(parent, self.key), []) for parent in parents]


@dataclass(frozen=True)
class Picked(ByParentKey):
    """One row `pick` chooses among the rows sharing the parent's key."""

    loader: type[RowsByKeyLoader[Any]]
    key: str
    pick: Callable[[Sequence[Any]], Any | None]
    reads: frozenset[str] = frozenset()

    async def values(
        self, found: dict[Any, list[Any]], parents: Sequence[Any], arguments: dict[str, Any]
    ) -> list[Any]:
        return [self.pick(found.get(getattr(parent, self.key), [])) for parent in parents]


@dataclass(frozen=True)
class PagedList(ByParentKey):
    """A connection over the rows sharing the parent's key, paged in memory
    (`schema.relay.paginate_list`), after `keep` filters them by the field's arguments."""

    loader: type[RowsByKeyLoader[Any]]
    key: str
    keep: Callable[[Sequence[Any], dict[str, Any]], Sequence[Any]] | None = None
    reads: frozenset[str] = frozenset()

    async def values(
        self, found: dict[Any, list[Any]], parents: Sequence[Any], arguments: dict[str, Any]
    ) -> list[Any]:
        page = PageRequest.of(arguments)
        connections = []
        for parent in parents:
            rows = found.get(getattr(parent, self.key), [])
            kept = self.keep(rows, arguments) if self.keep else rows
            connections.append(await paginate_list(kept, page, _row))
        return connections


@dataclass(frozen=True)
class Windowed(ByParentKey):
    """A connection whose page of every parent one windowed statement of a `PageLoader` reads
    (`schema.relay.paginate_related`), as Core rows of only the columns the plan reads, and
    whose `totalCount`s one more statement counts when they are asked for."""

    loader: type[PageLoader]
    key: str = "id"

    async def load(
        self,
        context: Context,
        parents: Sequence[Any],
        arguments: dict[str, Any],
        columns: frozenset[str],
    ) -> list[Any]:
        pages, page = context.loader(self.loader), PageRequest.of(arguments)
        keys = [getattr(parent, self.key) for parent in parents]
        windows: dict[Window, dict[Any, list[tuple[int, Any]]]] = {}
        counted: list[dict[Any, int]] = []

        async def page_of_parent(key: Any) -> Connection[Any]:
            async def rows_in(window: Window) -> list[tuple[int, Any]]:
                if window not in windows:
                    windows[window] = await pages.pages(keys, window, sorted(columns))
                return windows[window].get(key, [])

            async def count_total() -> int:
                if not counted:
                    counted.append(await pages.counts(keys))
                return counted[0].get(key, 0)

            return await windowed(page, rows_in, count_total, _row)

        return [await page_of_parent(key) for key in keys]


@dataclass(frozen=True)
class ListedBy(ByParentKey):
    """A connection over the rows `rows_of(context, key)` reads through the request's loaders
    (one batch for the level), paged in memory."""

    rows_of: Callable[[Context, Any], Awaitable[Sequence[Any]]]
    key: str = "id"

    async def load(
        self,
        context: Context,
        parents: Sequence[Any],
        arguments: dict[str, Any],
        columns: frozenset[str],
    ) -> list[Any]:
        listed = await asyncio.gather(
            *(self.rows_of(context, getattr(parent, self.key)) for parent in parents)
        )
        page = PageRequest.of(arguments)
        return [await paginate_list(rows, page, _row) for rows in listed]


@dataclass(frozen=True)
class OneBy(ByParentKey):
    """The row `row_of(context, key)` reads through the request's loaders (one batch for the
    level), or None."""

    row_of: Callable[[Context, Any], Awaitable[Any]]
    key: str

    async def load(
        self,
        context: Context,
        parents: Sequence[Any],
        arguments: dict[str, Any],
        columns: frozenset[str],
    ) -> list[Any]:
        return list(
            await asyncio.gather(
                *(self.row_of(context, getattr(parent, self.key)) for parent in parents)
            )
        )


@dataclass(frozen=True)
class PagedStatement:
    """A connection over a statement of each parent (`Account.carts`), paged in the database."""

    model: type[SQLModel]
    statement: Callable[[Context, Any, dict[str, Any]], Select[Any]]
    parent_reads: frozenset[str]

    async def load(
        self,
        context: Context,
        parents: Sequence[Any],
        arguments: dict[str, Any],
        columns: frozenset[str],
    ) -> list[Any]:
        async def fetch(statement: Select[Any], start: int, size: int) -> Sequence[Any]:
            return await window_rows(context.db, statement, self.model, columns, start, size)

        page = PageRequest.of(arguments)
        return [
            await page_of(context.db, self.statement(context, parent, arguments), page, fetch=fetch)
            for parent in parents
        ]


@dataclass(frozen=True)
class ViewerPrice:
    """`Product.price(quantity:)`: every product of the level priced in one pass of the
    request's `ViewerQuoteLoader`, as the field does. The level's rows carry what the pass
    reads of a product (`ProductTermsByIdLoader`), so it reads them no second time."""

    parent_reads: frozenset[str] = frozenset({"id"}) | ProductTermsByIdLoader.columns

    async def load(
        self,
        context: Context,
        parents: Sequence[Any],
        arguments: dict[str, Any],
        columns: frozenset[str],
    ) -> list[Any]:
        terms = context.loader(ProductTermsByIdLoader)
        for parent in parents:
            terms.prime(parent.id, parent)
        quantity = arguments["quantity"]
        quotes = await context.loader(ViewerQuoteLoader).load_many(
            [(parent.id, quantity) for parent in parents]
        )
        return [unit_price(quote) for quote in quotes]


# The relations that share their loader's statement across a level.
KEYED = (ToOne, AllOf, Picked, PagedList)


def _account_carts(context: Context, account: Any, arguments: dict[str, Any]) -> Select[Any]:
    return carts.account_carts(context, account, CartFilter.query(arguments.get("filter")))


def _account_orders(context: Context, account: Any, arguments: dict[str, Any]) -> Select[Any]:
    query = order_query(arguments.get("filter"), arguments.get("sort_by"))
    return orders.account_orders(context, account, query)


def _own_carts(context: Context, _viewer: Any, arguments: dict[str, Any]) -> Select[Any]:
    return carts.own_carts(context, CartFilter.query(arguments.get("filter")))


def _own_orders(context: Context, _viewer: Any, arguments: dict[str, Any]) -> Select[Any]:
    query = order_query(arguments.get("filter"), arguments.get("sort_by"))
    return orders.own_orders(context, query)


# What `may_manage` reads of an account (its carts' and orders' visibility).
MANAGED_ACCOUNT_READS = frozenset({"id", "sales_rep_code"})


RELATIONS: dict[tuple[str, str], Relation] = {
    ("Account", "memberships"): PagedList(MembershipsByAccountIdLoader, key="id"),
    ("Account", "addresses"): PagedList(
        AddressesByAccountIdLoader,
        key="id",
        keep=lambda rows, arguments: AddressFilter.kept(rows, arguments.get("filter")),
        reads=frozenset({"kind"}),
    ),
    ("Account", "primaryAddress"): Picked(
        AddressesByAccountIdLoader,
        key="id",
        pick=primary_address_row,
        reads=frozenset({"is_primary"}),
    ),
    ("Account", "contacts"): Windowed(AccountContactPagesLoader),
    ("Account", "contracts"): ListedBy(contracts_of),
    ("Account", "carts"): PagedStatement(Cart, _account_carts, MANAGED_ACCOUNT_READS),
    ("Account", "orders"): PagedStatement(Order, _account_orders, MANAGED_ACCOUNT_READS),
    ("AccountMembership", "contact"): ToOne(ContactByIdLoader, key="contact_id"),
    ("AccountMembership", "cartApprover"): ToOne(ContactByIdLoader, key="cart_approver_id"),
    ("AccountMembership", "defaultShipTo"): ToOne(AddressByIdLoader, key="default_ship_to_id"),
    ("Contract", "products"): Windowed(ContractProductPagesLoader),
    ("Contract", "accounts"): Windowed(ContractAccountPagesLoader),
    ("ContractItem", "product"): ToOne(ProductByIdLoader, key="product_id"),
    ("Cart", "lines"): AllOf(CartLinesByCartIdLoader, key="id"),
    ("CartLine", "sku"): Through(ProductByIdLoader, key="product_id", attribute="sku"),
    ("CartLine", "productName"): Through(ProductByIdLoader, key="product_id", attribute="name"),
    ("Order", "lines"): AllOf(OrderLinesByOrderIdLoader, key="id"),
    ("Order", "account"): OneBy(readable_account, key="account_id"),
    ("Order", "createdByContact"): ToOne(ContactByIdLoader, key="created_by_contact_id"),
    ("Order", "approvedBy"): ToOne(ContactByIdLoader, key="approved_by_contact_id"),
    ("Order", "createdByWorker"): ToOne(WorkerByIdLoader, key="created_by_worker_id"),
    ("Order", "releasedBy"): ToOne(WorkerByIdLoader, key="released_by_worker_id"),
    ("OrderLine", "product"): ToOne(ProductByIdLoader, key="product_id"),
    ("Product", "price"): ViewerPrice(),
    ("Viewer", "contact"): ToOne(ContactByIdLoader, key="contact_id"),
    ("Viewer", "worker"): ToOne(WorkerByIdLoader, key="worker_id"),
    ("Viewer", "activeAccount"): OneBy(readable_account, key="active_account_id"),
    ("Viewer", "memberships"): ListedBy(usable_membership_rows, key="contact_id"),
    ("Viewer", "carts"): PagedStatement(Cart, _own_carts, frozenset()),
    ("Viewer", "orders"): PagedStatement(Order, _own_orders, frozenset()),
}

# Fields with a resolver that compute their value from the row alone: (function, columns read).
DERIVED: dict[tuple[str, str], tuple[Callable[[Any], Any], frozenset[str]]] = {
    ("Account", "paymentTypes"): (payment_types_of, frozenset({"payment_types"})),
    ("Order", "number"): (lambda row: order_number(row.id), frozenset({"id"})),
}

# Fields with a resolver that answer another object's global ID from a reference of the row.
REFERENCES: dict[tuple[str, str], tuple[str, str]] = {
    ("CartLine", "productId"): ("Product", "product_id"),
    ("OrderLine", "productId"): ("Product", "product_id"),
}


@dataclass(frozen=True)
class PagedRoot:
    """A root connection over a statement (`accounts`, `products`), paged in the database with
    only the columns the plan reads."""

    model: type[SQLModel]
    statement: Callable[[Context, dict[str, Any]], Awaitable[Select[Any]]]

    async def __call__(
        self, context: Context, arguments: dict[str, Any], columns: frozenset[str]
    ) -> Connection[Any]:
        statement = await self.statement(context, arguments)

        async def fetch(statement: Select[Any], start: int, size: int) -> Sequence[Any]:
            return await window_rows(context.db, statement, self.model, columns, start, size)

        return await page_of(context.db, statement, PageRequest.of(arguments), fetch=fetch)


@dataclass(frozen=True)
class RowRoot:
    """A root field of one row or null (`account(code:)`, `cart(id:)`), read as its resolver
    reads it."""

    row: Callable[[Context, dict[str, Any]], Awaitable[Any]]

    async def __call__(
        self, context: Context, arguments: dict[str, Any], columns: frozenset[str]
    ) -> Any:
        return await self.row(context, arguments)


async def _built(value: Any) -> Any:
    return value


# A root field: (context, converted arguments, columns its objects need) -> a row, None or a
# connection of rows.
Root = PagedRoot | RowRoot

ROOTS: dict[str, Root] = {
    "accounts": PagedRoot(
        Account,
        lambda context, arguments: visible_accounts(
            context, arguments.get("filter"), arguments.get("sort_by")
        ),
    ),
    "products": PagedRoot(
        Product, lambda context, arguments: products_of(context, arguments.get("filter"))
    ),
    "account": RowRoot(lambda context, arguments: account_row(context, arguments["code"])),
    "cart": RowRoot(lambda context, arguments: cart_row(context, arguments["id"])),
    "order": RowRoot(lambda context, arguments: order_row(context, arguments["id"])),
    "product": RowRoot(lambda context, arguments: product_by_sku(context, arguments["sku"])),
    "contract": RowRoot(lambda context, arguments: contract_by_code(context, arguments["code"])),
    "viewer": RowRoot(lambda context, _arguments: _built(Viewer.of(context.viewer))),
}
