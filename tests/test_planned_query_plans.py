"""Every statement the planned read path sends for the benchmark's pages uses an index, on
SQLite and PostgreSQL (issue #17: cost must stay flat from 1,000 to 100,000 accounts).

The statements are caught as the driver receives them, with their parameters, while the
planned path answers the grid, the account detail and the storefront's catalogue over the demo
world; each is then EXPLAINed as sent. PostgreSQL is told to treat scans as a last resort
(`enable_seqscan` off), as `tests/test_query_plans.py` does: a plan that still scans a table has
no index to read it by.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

import models  # noqa: F401 - every table on the metadata
from api.app import create_app
from bench.scenarios import ACCOUNT_DETAIL, GRID
from core.database import sync_engines
from core.settings import Settings
from seed.demo import DEMO_PASSWORD, run_seed
from tests.graphql_client import GraphQLClient

PAGES = [
    (GRID, {"first": 20}, "admin"),
    (ACCOUNT_DETAIL, {}, "admin"),
    (
        '{ products(first: 20, filter: {search: "TP-0"}) { nodes { id sku name unit price } } }',
        {},
        "mary",
    ),
    ('{ accounts(first: 5, filter: {search: "abc"}) { nodes { code } totalCount } }', {}, "admin"),
]


async def explain(engine: AsyncEngine, statement: str, parameters: Any) -> list[str]:
    async with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            rows = await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            return [row[-1] for row in rows]
        await connection.exec_driver_sql("SET enable_seqscan = off")
        rows = await connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)
        lines = [row[0] for row in rows]
        await connection.exec_driver_sql("RESET enable_seqscan")
        return lines


TABLES = frozenset(SQLModel.metadata.tables)


def scans(lines: list[str]) -> list[str]:
    """Lines that read every row of a table (an index scan, ordered or covering, is none; nor
    is a pass over a subquery's window of rows)."""
    found = []
    for line in lines:
        words = line.replace('"', "").split()
        if line.lstrip().startswith("SCAN ") and "INDEX" not in line:
            if len(words) > 1 and words[1] in TABLES:
                found.append(line)
        elif "Seq Scan on" in line:
            found.append(line)
    return found


async def test_every_planned_statement_of_the_benchmark_pages_uses_an_index(
    settings: Settings, engine: AsyncEngine
) -> None:
    # given the demo world, and the statements the driver is sent
    await run_seed(settings, extra_accounts=0, if_empty=False)
    sent: list[tuple[str, Any]] = []

    def catch(_c: Any, _cursor: Any, statement: str, parameters: Any, *_a: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))

    app = create_app(settings, engine)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        client = GraphQLClient(http)
        tokens = {login: await client.login(login, DEMO_PASSWORD) for login in ("admin", "mary")}

        # when the planned path answers each page
        # (SQLite's queries read through the engine's reader on the event loop)
        senders = sync_engines(engine)
        for sender in senders:
            event.listen(sender, "before_cursor_execute", catch)
        try:
            for query, variables, login in PAGES:
                response = await http.post(
                    "/graphql",
                    json={"query": query, "variables": variables},
                    headers={"Authorization": f"Bearer {tokens[login]}"},
                )
                assert "errors" not in response.json(), response.text
        finally:
            for sender in senders:
                event.remove(sender, "before_cursor_execute", catch)

    # then no statement reads a table whole
    assert len(sent) > 10
    scanning = {}
    for statement, parameters in sent:
        found = scans(await explain(engine, statement, parameters))
        if found:
            scanning[statement[:160]] = found
    assert not scanning, scanning


@pytest.mark.parametrize("line", ["SCAN account", "Seq Scan on account  (cost=…)"])
def test_a_table_scan_is_seen(line: str) -> None:
    assert scans([line]) == [line]


@pytest.mark.parametrize(
    "line", ["SCAN account USING INDEX ix_account_code", "SCAN anon_1", "SCAN (subquery-2)"]
)
def test_an_index_or_a_subquery_is_no_table_scan(line: str) -> None:
    assert scans([line]) == []
