"""What the planned read path covers: the tables behind object types, their relations, and the
root fields it answers. Everything not named here runs on the generic path.

Each entry reads what its GraphQL field reads, through the same loaders, statements and rules
(`AddressFilter.kept`, `primary_address_row`, `accounts_statement`), selecting only the columns
the plan needs; `tests/test_planned_reads.py` holds every entry to the field it mirrors.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Select
from sqlmodel import SQLModel

from core.context import Context
from loaders.accounts import (
    AddressByIdLoader,
    AddressesByAccountIdLoader,
    ContactByIdLoader,
    MembershipsByAccountIdLoader,
)
from loaders.base import RowByKeyLoader, RowsByKeyLoader
from models import Account, AccountMembership, Address, Contact
from resolvers import accounts
from schema.customer_inputs import AddressFilter, account_query
from schema.customer_types import primary_address_row
from schema.permissions import require_authenticated
from schema.relay import Connection, PageRequest, page_of, paginate_list

# GraphQL object type -> the table its objects are rows of (`schema.relay.FromRow`).
MODELS: dict[str, type[SQLModel]] = {
    "Account": Account,
    "AccountMembership": AccountMembership,
    "Address": Address,
    "Contact": Contact,
}


def columns_of(model: type[SQLModel], names: frozenset[str]) -> list[Any]:
    return [getattr(model, name) for name in sorted(names)]


async def rows_of(context: Context, statement: Select[Any]) -> Sequence[Any]:
    """Core rows (named tuples), not ORM objects."""
    return (await context.db.execute(statement)).all()


class Relation(Protocol):
    """A relation the rows of a level share one statement of `loader` for: every relation of
    the level on the same loader asks with its parents' `key` attribute, and the rows found,
    by key, give each parent its value."""

    @property
    def loader(self) -> type[RowByKeyLoader[Any]] | type[RowsByKeyLoader[Any]]: ...

    @property
    def key(self) -> str: ...

    # The related rows' attributes the relation itself reads (beyond what the plan selects).
    @property
    def reads(self) -> frozenset[str]: ...

    async def values(
        self, found: dict[Any, list[Any]], parents: Sequence[Any], arguments: dict[str, Any]
    ) -> list[Any]:
        """Per parent: a row, None, or a connection whose nodes are rows."""
        ...


async def load_by_key(
    context: Context,
    loader: type[RowByKeyLoader[Any]] | type[RowsByKeyLoader[Any]],
    keys: Sequence[Any],
    columns: frozenset[str],
) -> dict[Any, list[Any]]:
    """The loader's statement for `keys` (in batches of its size), with only `columns`: the
    rows by key."""
    instance = context.loader(loader)
    wanted = columns_of(loader.model, columns | {loader.key_column})
    distinct = list(dict.fromkeys(key for key in keys if key is not None))
    grouped: dict[Any, list[Any]] = {}
    size = instance.max_batch_size or len(distinct) or 1
    for start in range(0, len(distinct), size):
        statement = instance.statement(distinct[start : start + size]).with_only_columns(*wanted)
        for row in await rows_of(context, statement):
            grouped.setdefault(getattr(row, loader.key_column), []).append(row)
    return grouped


@dataclass(frozen=True)
class ToOne:
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
class Picked:
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
class PagedList:
    """A connection over the rows sharing the parent's key, paged in memory
    (`schema.relay.paginate_list`), after `keep` filters them by the field's arguments."""

    loader: type[RowsByKeyLoader[Any]]
    key: str
    keep: Callable[[Sequence[Any], dict[str, Any]], Sequence[Any]] | None = None
    reads: frozenset[str] = frozenset()

    async def values(
        self, found: dict[Any, list[Any]], parents: Sequence[Any], arguments: dict[str, Any]
    ) -> list[Any]:
        page = PageRequest(**{name: arguments.get(name) for name in _PAGE_ARGUMENTS})
        connections = []
        for parent in parents:
            rows = found.get(getattr(parent, self.key), [])
            kept = self.keep(rows, arguments) if self.keep else rows
            connections.append(await paginate_list(kept, page, _row))
        return connections


_PAGE_ARGUMENTS = ("first", "after", "last", "before")


def _row(row: Any) -> Any:
    return row


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
    ("AccountMembership", "contact"): ToOne(ContactByIdLoader, key="contact_id"),
    ("AccountMembership", "cartApprover"): ToOne(ContactByIdLoader, key="cart_approver_id"),
    ("AccountMembership", "defaultShipTo"): ToOne(AddressByIdLoader, key="default_ship_to_id"),
}


# A root field: (context, converted arguments, columns its objects need) -> row, None or a
# connection of rows.
Root = Callable[[Context, dict[str, Any], frozenset[str]], Awaitable[Any]]


async def _accounts(
    context: Context, arguments: dict[str, Any], columns: frozenset[str]
) -> Connection[Any]:
    require_authenticated(context.viewer)
    statement = accounts.accounts_statement(
        context, account_query(arguments.get("filter"), arguments.get("sort_by"))
    )
    wanted = columns_of(Account, columns)

    async def fetch(statement: Select[Any], start: int, size: int) -> Sequence[Any]:
        return await rows_of(
            context, statement.with_only_columns(*wanted).offset(start).limit(size)
        )

    page = PageRequest(**{name: arguments.get(name) for name in _PAGE_ARGUMENTS})
    return await page_of(context.db, statement, page, fetch=fetch)


async def _account(context: Context, arguments: dict[str, Any], _columns: frozenset[str]) -> Any:
    require_authenticated(context.viewer)
    return await accounts.account_by_code(context, arguments["code"].strip().upper())


ROOTS: dict[str, Root] = {"accounts": _accounts, "account": _account}
