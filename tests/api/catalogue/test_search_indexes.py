"""On PostgreSQL, free-text search reads trigram indexes (migration 0012) instead of every row,
on a catalogue and an account book of 100,000 each: EXPLAIN of the very conditions the searches
build, planned by PostgreSQL's own choice (no planner settings), shows the indexes and no scan
of the whole table."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from core.context import Context
from core.settings import Settings
from domain.access import Viewer, ViewerKind
from domain.enums import WorkerRole
from models import Account, Product
from resolvers.accounts import (
    AccountQuery,
    AccountSearchField,
    accounts_statement,
    search_condition,
)
from resolvers.products import ProductQuery, products_statement
from resolvers.search import contains

pytestmark = pytest.mark.postgres_only
ROWS = 100_000


@pytest.fixture(autouse=True)
def _postgres(settings: Settings) -> None:
    if not settings.is_postgres:
        pytest.skip("trigram indexes are PostgreSQL's")


async def plan(session: AsyncSession, statement: object) -> str:
    compiled = statement.compile(  # type: ignore[attr-defined]
        session.get_bind(), compile_kwargs={"literal_binds": True}
    )
    rows = await session.execute(text(f"EXPLAIN {compiled}"))
    return "\n".join(row[0] for row in rows)


async def _insert_products(session: AsyncSession) -> None:
    await session.execute(
        text(
            "INSERT INTO product (sku, name, unit, is_active, created_at, updated_at)"
            " SELECT 'SKU-' || lpad(n::text, 6, '0'), 'Widget ' || md5(n::text)"
            " || ' model ' || n, 'EA', true, now(), now()"
            " FROM generate_series(1, :rows) AS n"
        ),
        {"rows": ROWS},
    )
    await session.commit()
    await session.execute(text("ANALYZE product"))


async def _insert_accounts(session: AsyncSession) -> None:
    for statement in (
        "INSERT INTO account (code, is_active, company_name, email, sales_rep_code, erp_key,"
        " discount_percent, payment_types, is_on_hold, on_hold_action, is_out_of_terms,"
        " out_of_terms_action, out_of_credit_action, balance, payment_terms_kind,"
        " user_created_for_account, source, customer_groups, awaiting_approval,"
        " awaiting_erp_export, created_at, updated_at)"
        " SELECT 'C' || lpad(n::text, 6, '0'), true, 'Company ' || md5(n::text) || ' Pty Ltd',"
        " 'orders' || n || '@example.com', 'REP' || (n % 50), 'ERP-' || n, 0, '[]', false,"
        " 'NO_ACTION', false, 'NO_ACTION', 'NO_ACTION', 0, 'NOT_SPECIFIED', false, 'ERP', '[]',"
        " false, false, now(), now() FROM generate_series(1, :rows) AS n",
        "INSERT INTO address (account_id, kind, name, line1, city, postcode, country,"
        " is_primary, source, created_at, updated_at) SELECT id, 'BILLING', 'HQ', '1 Main St',"
        " 'Sydney', (2000 + id % 7000)::text, 'AU', false, 'ERP', now(), now() FROM account",
    ):
        await session.execute(text(statement), {"rows": ROWS})
    await session.commit()
    await session.execute(text("ANALYZE account"))
    await session.execute(text("ANALYZE address"))


async def test_product_search_reads_the_trigram_indexes(session: AsyncSession) -> None:
    # given a catalogue of 100,000 products, analysed
    await _insert_products(session)

    # when the search's condition is planned
    found = await plan(
        session, select(col(Product.id)).where(contains("model 1234", Product.sku, Product.name))
    )

    # then both columns are looked up in their trigram index, and no row is scanned in full
    assert "ix_product_sku_trgm" in found and "ix_product_name_trgm" in found, found
    assert "Seq Scan" not in found, found


async def test_account_search_reads_the_trigram_indexes(session: AsyncSession) -> None:
    # given 100,000 accounts with an address each, analysed
    await _insert_accounts(session)

    # when the condition of a search in each field (and in all of them) is planned
    plans = {
        field: await plan(session, select(col(Account.id)).where(search_condition("9876@", field)))
        for field in AccountSearchField
    }

    # then every one reads trigram indexes, none every account or address
    scans = {field: ("_trgm" in found, "Seq Scan" in found) for field, found in plans.items()}
    assert scans == dict.fromkeys(AccountSearchField, (True, False)), plans


async def prepared_plan(session: AsyncSession, statement: Any) -> str:
    """The generic plan of `statement` prepared as the driver prepares it (its parameters as
    `$n`): PostgreSQL plans a prepared statement for the values given five times, and from the
    sixth run on may keep a plan made for any values."""
    compiled = statement.compile(session.get_bind(), compile_kwargs={"render_postcompile": True})
    values = [compiled.params[name] for name in compiled.positiontup or []]
    connection = await session.connection()
    await connection.exec_driver_sql("SET LOCAL plan_cache_mode = force_generic_plan")
    await connection.exec_driver_sql(f"PREPARE search AS {compiled}")
    arguments = ", ".join(f"'{value}'" for value in values)
    rows = await connection.exec_driver_sql(f"EXPLAIN EXECUTE search({arguments})")
    found = "\n".join(row[0] for row in rows)
    await connection.exec_driver_sql("DEALLOCATE search")
    return found


async def test_a_search_page_keeps_its_trigram_indexes_once_prepared(
    session: AsyncSession, settings: Settings
) -> None:
    # given a catalogue of 100,000 products and 100,000 accounts, analysed
    await _insert_products(session)
    await _insert_accounts(session)
    context = Context(request=None, settings=settings, session=session)
    context.viewer = Viewer(kind=ViewerKind.WORKER, worker_id=1, worker_role=WorkerRole.ADMIN)
    pages = {
        "products": (await products_statement(context, ProductQuery(search="zz9q"))).limit(21),
        "accounts": accounts_statement(context, AccountQuery(search="zz9q")).limit(21),
    }

    # when a page of each search is prepared as the driver prepares it, and planned for any
    # values, as PostgreSQL may plan it from its sixth run on
    plans = {name: await prepared_plan(session, page) for name, page in pages.items()}

    # then it still finds the term through the trigram indexes, not by reading the table in the
    # page's order and testing every row
    assert {name: "_trgm" in found for name, found in plans.items()} == dict.fromkeys(
        pages, True
    ), plans
    assert not any("Seq Scan" in found or "Filter: " in found for found in plans.values()), plans
