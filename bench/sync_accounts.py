"""Throughput of the ERP sync: N accounts, each with an address, sent through the real API
(`syncAccounts` then `syncAddresses`, 1,000 records a call, a `sync` API key), then the same
accounts again (all unchanged). Prints records/s.

    .venv/bin/python -m bench.sync_accounts                       # SQLite, a temporary file
    .venv/bin/python -m bench.sync_accounts --database-url postgresql+asyncpg://…/tp_wallet

The database is emptied first: point it at a scratch database only.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from sqlmodel import SQLModel

import models  # noqa: F401 - every table on the metadata
from api.app import create_app
from core.database import create_engine, create_sessionmaker
from core.settings import Settings
from domain.enums import ApiKeyScope
from domain.erp import MAX_SYNC_BATCH
from models.types import utcnow
from resolvers.auth import issue_api_key

SYNC_ACCOUNTS = """
mutation($input: SyncAccountsInput!) {
  syncAccounts(input: $input) {
    counts { created updated unchanged deleted failed }
    errors { message }
  }
}
"""
SYNC_ADDRESSES = """
mutation($input: SyncAddressesInput!) {
  syncAddresses(input: $input) {
    counts { created updated unchanged deleted failed }
    errors { message }
  }
}
"""


def account(n: int) -> dict[str, Any]:
    return {
        "erpKey": f"ERP{n:07d}",
        "code": f"B{n:07d}",
        "companyName": f"Bench Company {n}",
        "email": f"accounts@b{n}.example",
        "salesRepCode": f"REP{n % 20:02d}",
        "priceLevel": "ABCD"[n % 4],
        "paymentTypes": "AC,CC" if n % 2 else "AC",
        "balance": f"{n % 5000}.50",
        "paymentTermsKind": "GIVEN_NUMBER_OF_DAYS",
        "paymentTermsValue": 30,
    }


def address(n: int) -> dict[str, Any]:
    return {
        "erpKey": f"ADR{n:07d}",
        "accountErpKey": f"ERP{n:07d}",
        "name": f"Bench Company {n}",
        "line1": f"{n} Bench Street",
        "city": "Sydney",
        "region": "NSW",
        "postcode": "2000",
        "isPrimary": True,
    }


async def run_pass(
    http: httpx.AsyncClient,
    token: str,
    query: str,
    field: str,
    make: Callable[[int], dict[str, Any]],
    total: int,
) -> tuple[float, dict[str, int]]:
    totals = {"created": 0, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0}
    started = time.perf_counter()
    for start in range(0, total, MAX_SYNC_BATCH):
        records = [make(n) for n in range(start, min(start + MAX_SYNC_BATCH, total))]
        response = await http.post(
            "/graphql",
            json={"query": query, "variables": {"input": {"records": records}}},
            headers={"Authorization": f"Bearer {token}"},
        )
        payload = response.json()["data"][field]
        if payload["errors"]:
            raise SystemExit(f"{field} refused: {payload['errors']}")
        for name, count in payload["counts"].items():
            totals[name] += count
    return time.perf_counter() - started, totals


async def main(database_url: str, count: int) -> None:
    settings = Settings(database_url=database_url, secret_key="bench-secret-key", debug=True)
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.run_sync(SQLModel.metadata.drop_all)
        await connection.run_sync(SQLModel.metadata.create_all)
    async with create_sessionmaker(engine)() as session:
        token, _ = await issue_api_key(
            session, settings.secret_key, "bench", [ApiKeyScope.SYNC], utcnow()
        )
        await session.commit()
    transport = httpx.ASGITransport(app=create_app(settings, engine))
    dialect = engine.dialect.name
    async with httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=600) as http:
        for label, query, field, make in (
            ("accounts (new)", SYNC_ACCOUNTS, "syncAccounts", account),
            ("addresses (new)", SYNC_ADDRESSES, "syncAddresses", address),
            ("accounts (unchanged)", SYNC_ACCOUNTS, "syncAccounts", account),
        ):
            seconds, totals = await run_pass(http, token, query, field, make, count)
            print(
                f"{dialect:10} {label:22} {count:>7} records in {seconds:6.1f} s = "
                f"{count / seconds:8.0f} records/s  {totals}"
            )
    await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--accounts", type=int, default=100_000)
    arguments = parser.parse_args()
    url = arguments.database_url
    if url is None:
        url = f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    asyncio.run(main(url, arguments.accounts))
