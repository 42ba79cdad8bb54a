"""Account and product search find on SQLite's search tables (`models.search_index`) exactly
what `lower(column) LIKE '%term%'` finds, and on PostgreSQL what ILIKE finds: one table of terms,
searched through the API and against the LIKE itself, on both databases. The case folding is
each database's own, as it was: SQLite folds ASCII letters only, PostgreSQL every letter."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from core.settings import Settings
from domain.enums import WorkerRole
from models import Account, Address, Product
from resolvers.search import contains, rows_holding
from tests.factories import PASSWORD, make_account, make_address, make_product, make_worker
from tests.graphql_client import GraphQLClient

SEARCHES = {
    "products": "query($term: String) { products(filter: {search: $term}) { nodes { name } } }",
    "accounts": "query($term: String) { accounts(filter: {search: $term})"
    " { nodes { name: companyName } } }",
}
# (code or SKU, name): the one a row's code or SKU, the other its company or product name.
ROWS = [
    ("P-1", "ACME Widget"),
    ("P-2", "Crème Brûlée"),
    ("P-3", 'Say "Cheese" Ltd'),
    ("P-4", "Star*Trek NEAR OR"),
    ("P-5", "ÉCOLE Supplies"),
    ("P-6", "Tab Stop"),
    ("P-7", "ab"),
    ("P-8", "O'Brien \\ Sons"),
]
ANY_CASE = ["ÉCOLE Supplies"]
# term → names found on SQLite, and on PostgreSQL where they differ
TERMS: dict[str, tuple[list[str], list[str] | None]] = {
    "acme": (["ACME Widget"], None),
    "ME WI": (["ACME Widget"], None),  # blanks are text too
    "widgets": ([], None),  # longer than any match
    "1acme": ([], None),  # no match across columns
    "p-": (sorted(name for _, name in ROWS), None),
    "crème": (["Crème Brûlée"], None),
    "BRÛLÉE": ([], ["Crème Brûlée"]),  # Û, É are not ASCII
    "école": ([], ANY_CASE),
    "École": (ANY_CASE, None),
    '"cheese"': (['Say "Cheese" Ltd'], None),  # quotes are FTS5's phrase marks
    'y "c': (['Say "Cheese" Ltd'], None),
    "r*t": (["Star*Trek NEAR OR"], None),  # and * its prefix mark
    "near or": (["Star*Trek NEAR OR"], None),  # and NEAR, OR its operators
    "AND": ([], None),
    "o'brien \\ s": (["O'Brien \\ Sons"], None),  # written into PostgreSQL's statement
    "ab": (["Tab Stop", "ab"], None),  # shorter than a trigram: the LIKE
    "a": (["ACME Widget", 'Say "Cheese" Ltd', "Star*Trek NEAR OR", "Tab Stop", "ab"], None),
}


@pytest.fixture
async def token(client: GraphQLClient, session: AsyncSession) -> str:
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    for code, name in ROWS:
        await make_product(session, sku=code, name=name)
        await make_account(session, code=code, company_name=name)
    return await client.login("admin", PASSWORD)


@pytest.mark.parametrize("search", SEARCHES)
@pytest.mark.parametrize("term", TERMS)
async def test_a_search_finds_what_the_like_finds(
    client: GraphQLClient,
    session: AsyncSession,
    settings: Settings,
    token: str,
    search: str,
    term: str,
) -> None:
    # when the term is searched for
    data = await client.execute(SEARCHES[search], {"term": term}, token=token)
    found = sorted(node["name"] for node in data[search]["nodes"])

    # then the rows holding it are found, as the LIKE over the same columns finds them
    on_sqlite, on_postgres = TERMS[term]
    assert found == (on_postgres if settings.is_postgres and on_postgres else on_sqlite)
    assert found == await _found_by_like(session, search, term)


async def _found_by_like(session: AsyncSession, search: str, term: str) -> list[str]:
    model: Any = Product if search == "products" else Account
    columns = (model.sku, model.name) if model is Product else (model.code, model.company_name)
    name = col(model.name if model is Product else model.company_name)
    like = or_(*(col(column).icontains(term, autoescape=True) for column in columns))
    return sorted(await session.scalars(select(name).where(like)))


async def test_the_search_tables_follow_the_rows_as_they_change(
    client: GraphQLClient, session: AsyncSession, token: str
) -> None:
    # given a product and an account with an address, found by their name and postcode
    product = await make_product(session, sku="RENAME-1", name="Old Gadget")
    account = await make_account(session, code="RENAME-2", company_name="Old Traders")
    address = await make_address(session, account=account, postcode="7000")
    accounts_by_postcode = (
        "query($term: String) { accounts(filter: {search: $term, searchField: POSTCODE})"
        " { nodes { name: companyName } } }"
    )

    # when they are renamed and moved
    product.name = "New Gadget"
    account.company_name = "New Traders"
    address.postcode = "8123"
    session.add_all([product, account, address])
    await session.commit()

    # then the new text is found and the old is not
    async def names(query: str, term: str) -> list[str]:
        data = await client.execute(query, {"term": term}, token=token)
        return [node["name"] for node in next(iter(data.values()))["nodes"]]

    assert await names(SEARCHES["products"], "new gadg") == ["New Gadget"]
    assert await names(SEARCHES["products"], "old gadg") == []
    assert await names(SEARCHES["accounts"], "new trad") == ["New Traders"]
    assert await names(SEARCHES["accounts"], "old trad") == []
    assert await names(accounts_by_postcode, "8123") == ["New Traders"]
    assert await names(accounts_by_postcode, "7000") == []

    # and once deleted, nothing is
    await session.delete(address)
    await session.delete(product)
    await session.commit()
    assert await names(SEARCHES["products"], "new gadg") == []
    assert await names(accounts_by_postcode, "8123") == []


def test_only_a_table_with_a_search_table_and_a_term_of_a_trigram_reads_it() -> None:
    # the LIKE is what a short term and a table without a search table get
    compiled = {
        case: str(condition.compile(dialect=sqlite.dialect()))
        for case, condition in {
            "trigram": contains("abc", Product.sku, Product.name),
            "short": contains("ab", Product.sku, Product.name),
            "no table": contains("abc", Product.description),
        }.items()
    }
    assert "product_search MATCH" in compiled["trigram"]
    assert "LIKE" not in compiled["trigram"]
    assert "MATCH" not in compiled["short"] and "LIKE" in compiled["short"]
    assert "MATCH" not in compiled["no table"] and "LIKE" in compiled["no table"]


POSTGRESQL = postgresql.dialect()  # type: ignore[no-untyped-call]


def test_a_search_of_several_columns_is_one_lookup_on_sqlite_and_one_a_column_elsewhere() -> None:
    # when products are searched by SKU and name, and accounts by their columns and postcodes
    postcodes = select(col(Address.account_id)).where(contains("abc", Address.postcode))
    searches = {
        "products": rows_holding("abc", Product.id, [Product.sku, Product.name]),
        "accounts": rows_holding("abc", Account.id, [Account.code], also=[postcodes]),
    }
    for name, condition in searches.items():
        on_sqlite = str(condition.compile(dialect=sqlite.dialect()))
        on_postgres = str(condition.compile(dialect=POSTGRESQL))

        # then SQLite looks each table's search table up once, and PostgreSQL unites one
        # trigram-indexed LIKE a column
        assert on_sqlite.count("MATCH") == (1 if name == "products" else 2), on_sqlite
        assert "LIKE" not in on_sqlite
        assert "MATCH" not in on_postgres and on_postgres.count("ILIKE") == 2, on_postgres
        assert "UNION" in on_postgres
