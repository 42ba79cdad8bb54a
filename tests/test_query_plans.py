"""The read path's statements use an index, on SQLite and PostgreSQL: EXPLAIN of each shows no
scan of the table it reads and, for a sorted page, no sort of the whole table (issue #17: the
pair-keyed pricing loaders scanned the price tables on every storefront request, the accounts
grid's sorts and an account's carts and orders sorted whole tables, and account and product
search read every row).

The tables are empty, so PostgreSQL is told to treat scans and sorts as a last resort
(`enable_seqscan`, `enable_sort` off): a plan that still has one has no index to use instead.
A search sorts only its matches, so it may sort; but an empty table's cheapest plan is then to
read a whole index in order and test every row, so its plain index scans are off too: the plan
must find the term through an index that holds it (a bitmap scan). With rows and statistics
PostgreSQL picks those indexes itself (tests/api/catalogue/test_search_indexes.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import Select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.util import find_tables

from core.context import Context
from core.settings import Settings
from domain.access import Viewer, ViewerKind
from domain.enums import WorkerRole
from loaders.pricing import (
    AccountPricesByAccountProductLoader,
    ContractPricesByAccountProductLoader,
    RestrictionByAccountProductLoader,
)
from models import Account
from resolvers.accounts import (
    AccountQuery,
    AccountSearchField,
    AccountSortField,
    accounts_statement,
)
from resolvers.carts import CartQuery, account_carts
from resolvers.orders import OrderQuery, account_orders
from resolvers.products import ProductQuery, products_statement

ADMIN = Viewer(kind=ViewerKind.WORKER, worker_id=1, worker_role=WorkerRole.ADMIN)
PAGE = 21


async def plan(
    session: AsyncSession,
    statement: Select[Any],
    *,
    search: bool = False,
    parameters: dict[str, Any] | None = None,
) -> list[str]:
    """The plan's lines, from the database's own EXPLAIN (of a `search`: see below)."""
    dialect = session.get_bind().dialect
    bound = statement.params(parameters) if parameters else statement
    sql = str(bound.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    if dialect.name == "sqlite":
        rows = await session.execute(text(f"EXPLAIN QUERY PLAN {sql}"))
        return [row[-1] for row in rows]
    await session.execute(text("SET LOCAL enable_seqscan = off"))
    if search:
        await session.execute(text("SET LOCAL enable_indexscan = off"))
    else:
        await session.execute(text("SET LOCAL enable_sort = off"))
    return [row[0] for row in await session.execute(text(f"EXPLAIN {sql}"))]


def scans(lines: list[str], table: str) -> list[str]:
    """Lines that read every row of `table` (an ordered index scan is no such line)."""
    return [
        line
        for line in lines
        if (line.startswith(f"SCAN {table}") and "INDEX" not in line)
        or f"Seq Scan on {table}" in line
        or f'Seq Scan on "{table}"' in line
    ]


def sorts(lines: list[str]) -> list[str]:
    return [
        line for line in lines if "TEMP B-TREE" in line or line.lstrip(" ->").startswith("Sort")
    ]


PAIR_LOADERS = [
    AccountPricesByAccountProductLoader,
    RestrictionByAccountProductLoader,
    ContractPricesByAccountProductLoader,
]


@pytest.mark.parametrize("loader", PAIR_LOADERS, ids=lambda loader: loader.__name__)
async def test_a_pair_keyed_loader_searches_its_table_by_the_pairs_index(
    session: AsyncSession, settings: Settings, loader: type[Any]
) -> None:
    # when one account's (or contract's) prices of a page of products are asked for, and two's
    context = Context(request=None, settings=settings, session=session)
    instance = context.loader(loader)
    statement = instance.statement()
    tables = {table.name for table in find_tables(statement, include_joins=True)}
    for keys in ([(1, product) for product in range(1, 40)], [(1, 5), (2, 5), (2, 6)]):
        lines = await plan(session, statement, parameters=instance.parameters(keys))

        # then each of its tables is searched through an index, not scanned
        assert [line for table in tables for line in scans(lines, table)] == [], lines


def accounts_by(field: AccountSortField) -> Callable[[Context, Account], Select[Any]]:
    def page(context: Context, _: Account) -> Select[Any]:
        return accounts_statement(context, AccountQuery(sort_field=field, descending=True))

    return page


SORTED_PAGES: dict[str, Callable[[Context, Account], Select[Any]]] = {
    **{
        f"accounts by {field.value}": accounts_by(field)
        for field in (
            AccountSortField.BALANCE,
            AccountSortField.CREATED_AT,
            AccountSortField.UPDATED_AT,
        )
    },
    "an account's carts": lambda context, account: account_carts(context, account, CartQuery()),
    "an account's orders": lambda context, account: account_orders(context, account, OrderQuery()),
}


@pytest.mark.parametrize("page", SORTED_PAGES.values(), ids=SORTED_PAGES.keys())
async def test_a_sorted_page_reads_an_index_in_order_instead_of_sorting_the_table(
    session: AsyncSession, settings: Settings, page: Callable[[Context, Account], Select[Any]]
) -> None:
    # when a worker reads the first page of the grid
    context = Context(request=None, settings=settings, session=session)
    context.viewer = ADMIN
    lines = await plan(
        session, page(context, Account(id=1, code="A1", company_name="A")).limit(PAGE)
    )

    # then its rows come in index order: nothing sorts them, nothing scans the table
    assert sorts(lines) == [], lines
    for table in ("account", "cart", "order"):
        assert scans(lines, table) == [], lines


def searched(lines: list[str]) -> list[str]:
    """Lines that look a term up in a search index: SQLite's FTS5 search table by its MATCH
    (`models.search_index`), PostgreSQL's trigram index (migration 0012)."""
    return [
        line
        for line in lines
        if ("VIRTUAL TABLE INDEX" in line and ":M" in line) or "_trgm" in line
    ]


def accounts_searched_by(field: AccountSearchField) -> Callable[[Context], Awaitable[Select[Any]]]:
    async def page(context: Context) -> Select[Any]:
        return accounts_statement(context, AccountQuery(search="Acme 42", search_field=field))

    return page


async def products_searched(context: Context) -> Select[Any]:
    return await products_statement(context, ProductQuery(search="Widget 42"))


SEARCHES: dict[str, Callable[[Context], Awaitable[Select[Any]]]] = {
    **{f"accounts by {field.value}": accounts_searched_by(field) for field in AccountSearchField},
    "products": products_searched,
}


@pytest.mark.parametrize("search", SEARCHES.values(), ids=SEARCHES.keys())
async def test_a_search_looks_its_term_up_in_an_index_instead_of_reading_every_row(
    session: AsyncSession, settings: Settings, search: Callable[[Context], Awaitable[Select[Any]]]
) -> None:
    # when a worker searches accounts (in each field) or products, a page of them
    context = Context(request=None, settings=settings, session=session)
    context.viewer = ADMIN
    lines = await plan(session, (await search(context)).limit(PAGE), search=True)

    # then the term is looked up in a search index, and no searched table is read in full
    assert searched(lines) != [], lines
    for table in ("account", "address", "product"):
        assert scans(lines, table) == [], lines
