"""`tradepost import FILE`: CSV and JSON records through the sync upserts, bad records reported
without stopping the rest."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import col

from api.importer import import_records, read_records
from api.settings import Settings
from domain.erp import SyncOutcome
from models import Account, Address

ACCOUNTS_CSV = """erpKey,code,companyName,paymentTypes,createLogin.username
E-1,A1,Alpha Pty,"AC,CC",alpha.buyer
E-2,A2,,AC,
E-3,A3,Gamma Pty,DD,
"""
ADDRESSES_JSON = """[
  {"erpKey": "AD-1", "accountErpKey": "E-1", "name": "Alpha", "line1": "1 Main St",
   "city": "Perth", "postcode": "6000", "isPrimary": true, "region": null}
]"""


async def test_a_csv_and_a_json_file_load_like_the_sync_mutations(
    tmp_path: Path, settings: Settings, engine: AsyncEngine, session: AsyncSession
) -> None:
    # given an accounts CSV with one bad row, and an addresses JSON file
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(ACCOUNTS_CSV)
    addresses = tmp_path / "addresses.json"
    addresses.write_text(ADDRESSES_JSON)
    console = Console(file=io.StringIO())

    # when
    account_report = await import_records(
        settings, "account", read_records(accounts), console=console
    )
    address_report = await import_records(
        settings, "address", read_records(addresses), console=console
    )

    # then
    assert account_report.counts == {
        SyncOutcome.CREATED: 2,
        SyncOutcome.UPDATED: 0,
        SyncOutcome.UNCHANGED: 0,
        SyncOutcome.DELETED: 0,
        SyncOutcome.FAILED: 1,
    }
    assert account_report.problems == [(2, "E-2", "companyName", "companyName is required")]
    assert address_report.counts[SyncOutcome.CREATED] == 1
    rows = (await session.scalars(select(Account).order_by(col(Account.code)))).all()
    assert [(a.code, a.payment_types, a.user_created_for_account) for a in rows] == [
        ("A1", ["ON_ACCOUNT", "CREDIT_CARD"], True),
        ("A3", ["DIRECT_DEPOSIT"], False),
    ]
    address = (await session.scalars(select(Address))).one()
    assert (address.city, address.is_primary, address.account_id) == ("Perth", True, rows[0].id)
