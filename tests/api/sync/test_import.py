"""`tradepost import FILE`: CSV and JSON records through the sync upserts, bad records reported
without stopping the rest."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import col

import api.importer
import resolvers.sync
import resolvers.sync_runs
from api.importer import ImportRefused, import_records, read_records
from core.settings import Settings
from domain.enums import ApiKeyScope, RecordSource
from domain.erp import ReplaceScope, SyncOutcome
from models import Account, AccountProductPrice, Address, Product
from tests.factories import make_account, make_account_price, make_api_key, make_product
from tests.graphql_client import GraphQLClient

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


PRODUCTS_CSV = """sku,name,unit,isActive,levelPrices.A,levelPrices.WEB1
bolt-m10,Hex bolt M10,EA,yes,0.80,0.95
nut-m10,Hex nut M10,BOX,no,0.30,
washer,,EA,maybe,x,
"""
LOCATIONS_CSV = "code,name,surchargeKind,surchargeValue\nsyd,Sydney,PERCENT,5\n"
LEVEL_PRICES_CSV = "sku,priceLevel,price\nBOLT-M10,B,0.75\nBOLT-M10,C,-1\n"
ACCOUNT_PRICES_CSV = "accountCode,sku,price,minQuantity,isForced\nABC1234,BOLT-M10,0.70,10,true\n"
CONTRACTS_JSON = """[{"code": "abc-2027", "name": "2027 agreement", "startsOn": "2027-01-01",
  "expiresOn": "2027-12-31", "accountCodes": ["ABC1234"],
  "products": [{"sku": "NUT-M10", "price": "0.20", "isForced": true}]}]"""
STOCK_CSV = "sku,locationCode,quantity\nBOLT-M10,SYD,120\nNUT-M10,NOWHERE,5\n"
CATALOGUE = """
query {
  bolt: product(sku: "BOLT-M10") { name unit isActive }
  nut: product(sku: "NUT-M10") { name unit isActive }
  account(code: "ABC1234") {
    productPrices { nodes { product { sku } minQuantity price isForced source } }
    contracts { nodes { code products { nodes { product { sku } price isForced } } } }
  }
}
"""


def _file(tmp_path: Path, name: str, text: str) -> list[dict[str, object]]:
    path = tmp_path / name
    path.write_text(text)
    return read_records(path)


async def test_every_catalogue_feed_loads_from_a_file_and_a_second_load_changes_nothing(
    tmp_path: Path,
    settings: Settings,
    engine: AsyncEngine,
    session: AsyncSession,
    client: GraphQLClient,
) -> None:
    # given an account, and a file for each catalogue feed, some rows bad
    await make_account(session, code="ABC1234")
    key = await make_api_key(session, scopes=[ApiKeyScope.READ])
    files = [
        ("product", _file(tmp_path, "products.csv", PRODUCTS_CSV)),
        ("location", _file(tmp_path, "locations.csv", LOCATIONS_CSV)),
        ("level-price", _file(tmp_path, "levels.csv", LEVEL_PRICES_CSV)),
        ("account-price", _file(tmp_path, "prices.csv", ACCOUNT_PRICES_CSV)),
        ("contract", _file(tmp_path, "contracts.json", CONTRACTS_JSON)),
        ("stock", _file(tmp_path, "stock.csv", STOCK_CSV)),
    ]
    console = Console(file=io.StringIO())

    # when each is imported twice
    first = [await import_records(settings, kind, rows, console=console) for kind, rows in files]
    second = [await import_records(settings, kind, rows, console=console) for kind, rows in files]
    catalogue = await client.execute(CATALOGUE, token=key)

    # then the good rows are saved, each bad one reported on its field, and the second load
    # changes nothing
    assert [(r.counts[SyncOutcome.CREATED], r.counts[SyncOutcome.FAILED]) for r in first] == [
        (2, 1),
        (1, 0),
        (1, 1),
        (1, 0),
        (1, 0),
        (1, 1),
    ]
    assert first[0].problems == [
        (3, None, "name", "name is required"),
        (3, None, "isActive", "Input should be a valid boolean, unable to interpret input"),
        (3, None, "levelPrices.a", "Input should be a valid decimal"),
    ]
    assert first[2].problems == [(2, "BOLT-M10/C", "price", "price must be at least 0")]
    assert first[5].problems == [(2, "NUT-M10/NOWHERE", "locationCode", "No location NOWHERE")]
    assert [
        (
            r.counts[SyncOutcome.CREATED],
            r.counts[SyncOutcome.UPDATED],
            r.counts[SyncOutcome.UNCHANGED],
        )
        for r in second
    ] == [(0, 0, 2), (0, 0, 1), (0, 0, 1), (0, 0, 1), (0, 0, 1), (0, 0, 1)]
    assert catalogue["bolt"] == {"name": "Hex bolt M10", "unit": "EA", "isActive": True}
    assert catalogue["nut"] == {"name": "Hex nut M10", "unit": "BOX", "isActive": False}
    assert catalogue["account"] == {
        "productPrices": {
            "nodes": [
                {
                    "product": {"sku": "BOLT-M10"},
                    "minQuantity": 10,
                    "price": "0.70",
                    "isForced": True,
                    "source": "ERP",
                }
            ]
        },
        "contracts": {
            "nodes": [
                {
                    "code": "ABC-2027",
                    "products": {
                        "nodes": [
                            {"product": {"sku": "NUT-M10"}, "price": "0.20", "isForced": True}
                        ]
                    },
                }
            ]
        },
    }


async def test_a_price_file_of_any_size_replaces_within_its_scope_in_one_commit(
    tmp_path: Path,
    settings: Settings,
    engine: AsyncEngine,
    session: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a cap of 10 records a transaction (1,000 in production), ERP prices of ABC1234
    # and C1001 that the file no longer has, and a WEB price
    for module in (api.importer, resolvers.sync, resolvers.sync_runs):
        monkeypatch.setattr(module, "MAX_SYNC_BATCH", 10)
    abc = await make_account(session, code="ABC1234")
    other = await make_account(session, code="C1001")
    bolt = await make_product(session, sku="BOLT")
    nut = await make_product(session, sku="NUT")
    await make_account_price(session, account=abc, product=nut, price="0.50")
    await make_account_price(session, account=other, product=nut, price="0.45")
    await make_account_price(
        session, account=other, product=bolt, price="1.00", source=RecordSource.WEB
    )
    lines = ["accountCode,sku,price,minQuantity"]
    lines += [f"ABC1234,BOLT,1.00,{quantity}" for quantity in range(1, 25)]
    lines += ["ABC1234,MISSING,1.00,1"]
    rows = _file(tmp_path, "prices.csv", "\n".join(lines) + "\n")
    console = Console(file=io.StringIO())

    # when the file is imported as ABC1234's full list (sent), then product files try replace
    report = await import_records(
        settings, "account-price", rows, console=console, replace=ReplaceScope.SENT
    )
    with pytest.raises(ImportRefused) as refused:
        await import_records(settings, "product", [], console=console, replace=ReplaceScope.FEED)

    # then all 24 prices are in, ABC1234's old nut price is gone, C1001 keeps both of its own,
    # and the bad row is listed
    assert report.counts == {
        SyncOutcome.CREATED: 24,
        SyncOutcome.UPDATED: 0,
        SyncOutcome.UNCHANGED: 0,
        SyncOutcome.DELETED: 1,
        SyncOutcome.FAILED: 1,
    }
    assert report.problems == [(25, "ABC1234/MISSING/1", "sku", "No product with SKU MISSING")]
    rows_left = (
        await session.execute(
            select(col(Account.code), col(Product.sku), col(AccountProductPrice.source))
            .select_from(AccountProductPrice)
            .join(Account, col(Account.id) == col(AccountProductPrice.account_id))
            .join(Product, col(Product.id) == col(AccountProductPrice.product_id))
            .distinct()
            .order_by(col(Account.code), col(Product.sku))
        )
    ).all()
    assert [tuple(r) for r in rows_left] == [
        ("ABC1234", "BOLT", RecordSource.ERP),
        ("C1001", "BOLT", RecordSource.WEB),
        ("C1001", "NUT", RecordSource.ERP),
    ]
    assert str(refused.value) == "product files cannot replace: only account-price and level-price"
