"""On PostgreSQL, free-text search can read a trigram index (migration 0012) instead of every
row: EXPLAIN of the very conditions the searches build shows the index.

A table of test size is cheaper to scan than to look up, so the planner is told not to scan
(`enable_seqscan` and `enable_indexscan` off): what must hold is that the condition is one an
index can serve (a `lower(name) LIKE …` could not). On 100,000 products the planner picks the
index by itself (README, "Limits")."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from api.settings import Settings
from models import Account, Address, Product
from resolvers.accounts import AccountSearchField, search_condition
from resolvers.search import contains

pytestmark = pytest.mark.postgres_only
ROWS = 200


@pytest.fixture(autouse=True)
def _postgres(settings: Settings) -> None:
    if not settings.is_postgres:
        pytest.skip("trigram indexes are PostgreSQL's")


async def plan(session: AsyncSession, statement: object) -> str:
    for scan in ("seqscan", "indexscan"):  # left: bitmap scans, the kind a GIN index serves
        await session.execute(text(f"SET LOCAL enable_{scan} = off"))
    compiled = statement.compile(  # type: ignore[attr-defined]
        session.get_bind(), compile_kwargs={"literal_binds": True}
    )
    rows = await session.execute(text(f"EXPLAIN {compiled}"))
    return "\n".join(row[0] for row in rows)


async def test_product_search_reads_the_trigram_indexes(session: AsyncSession) -> None:
    # given a catalogue, analysed
    await session.execute(
        insert(Product),
        [{"sku": f"SKU-{n:06}", "name": f"Widget model {n} in steel"} for n in range(ROWS)],
    )
    await session.commit()
    await session.execute(text("ANALYZE product"))

    # when the search's condition is planned
    found = await plan(
        session, select(col(Product.id)).where(contains("model 1234", Product.sku, Product.name))
    )

    # then both columns are looked up in their trigram index, and no row is scanned in full
    assert "ix_product_sku_trgm" in found and "ix_product_name_trgm" in found, found
    assert "Seq Scan" not in found, found


@pytest.mark.parametrize("field", list(AccountSearchField))
async def test_account_search_reads_the_trigram_indexes(
    session: AsyncSession, field: AccountSearchField
) -> None:
    # given accounts with an address each, analysed
    await session.execute(
        insert(Account),
        [
            {
                "code": f"C{n:06}",
                "company_name": f"Company {n} Pty Ltd",
                "email": f"orders{n}@example.com",
                "sales_rep_code": f"REP{n % 50:02}",
                "erp_key": f"ERP-{n:06}",
                "payment_types": [],
            }
            for n in range(ROWS)
        ],
    )
    ids: list[int] = list(await session.scalars(select(col(Account.id))))
    await session.execute(
        insert(Address),
        [
            {
                "account_id": i,
                "name": "HQ",
                "line1": "1 Main St",
                "city": "Sydney",
                "postcode": f"{2000 + i % 7000}",
            }
            for i in ids
        ],
    )
    await session.commit()
    await session.execute(text("ANALYZE account"))
    await session.execute(text("ANALYZE address"))

    # when the condition of a search in `field` is planned
    found = await plan(session, select(col(Account.id)).where(search_condition("1234", field)))

    # then it reads trigram indexes, not every account
    assert "_trgm" in found, found
    assert "Seq Scan on account" not in found, found
