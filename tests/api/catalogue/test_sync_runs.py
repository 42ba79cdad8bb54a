"""Sync runs: a full ERP export larger than one call (open, send batches, commit with replace
within the run's scope; an abandoned run changes nothing)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

import resolvers.sync
import resolvers.sync_runs
from domain.enums import ApiKeyScope, RecordSource
from models import Account, AccountProductPrice, Product
from tests.factories import make_account, make_account_price, make_api_key, make_product
from tests.graphql_client import GraphQLClient

OPEN = """
mutation Open($input: OpenSyncRunInput!) {
  openSyncRun(input: $input) { run { id feed replace status } errors { field code message } }
}
"""
SEND = """
mutation Send($input: SyncAccountPricesInput!) {
  syncAccountPrices(input: $input) {
    results { index key outcome errors { field code message } }
    counts { created updated unchanged deleted failed staged }
    errors { field code message }
  }
}
"""
SEND_LEVELS = """
mutation Send($input: SyncPriceLevelsInput!) {
  syncPriceLevels(input: $input) { results { outcome } errors { field code message } }
}
"""
COMMIT = """
mutation Commit($input: SyncRunInput!) {
  commitSyncRun(input: $input) {
    run { status stagedCount counts { created updated unchanged deleted failed staged } }
    results { index key outcome errors { field code message } }
    counts { created updated unchanged deleted failed staged }
    errors { field code message }
  }
}
"""
ABANDON = """
mutation Abandon($input: SyncRunInput!) {
  abandonSyncRun(input: $input) { run { status stagedCount } errors { field code message } }
}
"""
RUN = "query Run($id: ID!) { syncRun(id: $id) { status stagedCount counts { created } } }"


async def prices(session: AsyncSession) -> list[tuple[str, str, int, str, RecordSource]]:
    rows = await session.execute(
        select(
            col(Account.code),
            col(Product.sku),
            col(AccountProductPrice.min_quantity),
            col(AccountProductPrice.price),
            col(AccountProductPrice.source),
        )
        .select_from(AccountProductPrice)
        .join(Account, col(Account.id) == col(AccountProductPrice.account_id))
        .join(Product, col(Product.id) == col(AccountProductPrice.product_id))
        .order_by(col(Account.code), col(Product.sku), col(AccountProductPrice.min_quantity))
    )
    return [(code, sku, q, str(price), source) for code, sku, q, price, source in rows]


def tiers(account: str, sku: str, quantities: range, price: str = "1.00") -> list[dict[str, Any]]:
    return [
        {"accountCode": account, "sku": sku, "price": price, "minQuantity": q} for q in quantities
    ]


async def _open(client: GraphQLClient, token: str, **input: str) -> str:
    data = await client.execute(OPEN, {"input": input}, token=token)
    assert data["openSyncRun"]["errors"] == []
    run_id: str = data["openSyncRun"]["run"]["id"]
    return run_id


async def test_a_full_export_larger_than_one_call_replaces_the_whole_feed(
    client: GraphQLClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a cap of 10 records a call (1,000 in production: the same code at a tenth of the
    # cost), ERP prices of two accounts the export no longer has, and a WEB price
    monkeypatch.setattr(resolvers.sync, "MAX_SYNC_BATCH", 10)
    monkeypatch.setattr(resolvers.sync_runs, "MAX_SYNC_BATCH", 10)
    abc = await make_account(session, code="ABC1234")
    other = await make_account(session, code="C1001")
    bolt = await make_product(session, sku="BOLT")
    nut = await make_product(session, sku="NUT")
    await make_account_price(session, account=abc, product=nut, price="0.50")
    await make_account_price(session, account=other, product=bolt, price="1.10")
    await make_account_price(
        session, account=other, product=nut, price="0.40", source=RecordSource.WEB
    )
    key = await make_api_key(session, scopes=[ApiKeyScope.SYNC])

    # when the ERP cannot send its 15 prices in one call, so opens a run over the whole feed
    # and sends them in two
    too_many = await client.execute(
        SEND,
        {"input": {"replace": True, "records": tiers("ABC1234", "BOLT", range(1, 16))}},
        token=key,
    )
    run_id = await _open(client, key, feed="ACCOUNT_PRICES", replace="FEED")
    first = await client.execute(
        SEND,
        {"input": {"runId": run_id, "records": tiers("ABC1234", "BOLT", range(1, 11))}},
        token=key,
    )
    second = await client.execute(
        SEND,
        {"input": {"runId": run_id, "records": tiers("ABC1234", "BOLT", range(11, 16))}},
        token=key,
    )
    before_commit = await prices(session)
    await session.commit()
    committed = await client.execute(COMMIT, {"input": {"runId": run_id}}, token=key)

    # then nothing changed before the commit; the commit applied all 15 and deleted every ERP
    # price the run did not send, of both accounts, but not the WEB price
    assert too_many["syncAccountPrices"]["errors"] == [
        {
            "field": ["records"],
            "code": "LIMIT_EXCEEDED",
            "message": "At most 10 records a call, got 15",
        }
    ]
    assert first["syncAccountPrices"]["counts"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "deleted": 0,
        "failed": 0,
        "staged": 10,
    }
    assert second["syncAccountPrices"]["results"][0] == {
        "index": 0,
        "key": "ABC1234/BOLT/11",
        "outcome": "STAGED",
        "errors": [],
    }
    assert len(before_commit) == 3
    payload = committed["commitSyncRun"]
    assert payload["errors"] == []
    assert payload["counts"] == {
        "created": 15,
        "updated": 0,
        "unchanged": 0,
        "deleted": 2,
        "failed": 0,
        "staged": 0,
    }
    assert payload["run"] == {"status": "COMMITTED", "stagedCount": 15, "counts": payload["counts"]}
    assert sorted(r["key"] for r in payload["results"]) == ["ABC1234/NUT/1", "C1001/BOLT/1"]
    assert await prices(session) == [
        *(("ABC1234", "BOLT", q, "1.00", RecordSource.ERP) for q in range(1, 16)),
        ("C1001", "NUT", 1, "0.40", RecordSource.WEB),
    ]


async def test_a_run_scoped_to_what_it_sent_leaves_other_accounts(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given ERP prices of ABC1234 and C1001
    abc = await make_account(session, code="ABC1234")
    other = await make_account(session, code="C1001")
    await make_product(session, sku="BOLT")
    nut = await make_product(session, sku="NUT")
    await make_account_price(session, account=abc, product=nut, price="0.50")
    await make_account_price(session, account=other, product=nut, price="0.45")
    key = await make_api_key(session, scopes=[ApiKeyScope.SYNC])

    # when a run scoped to the accounts it sends replaces ABC1234's list with the bolt
    run_id = await _open(client, key, feed="ACCOUNT_PRICES", replace="SENT")
    await client.execute(
        SEND,
        {"input": {"runId": run_id, "records": tiers("ABC1234", "BOLT", range(1, 2))}},
        token=key,
    )
    await client.execute(COMMIT, {"input": {"runId": run_id}}, token=key)

    # then ABC1234 lost its nut price and C1001 kept its own
    assert [(code, sku) for code, sku, *_ in await prices(session)] == [
        ("ABC1234", "BOLT"),
        ("C1001", "NUT"),
    ]


async def test_an_abandoned_run_changes_nothing_and_a_finished_run_takes_no_more(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an ERP price and a run that staged a new one, then a bad record
    abc = await make_account(session, code="ABC1234")
    nut = await make_product(session, sku="NUT")
    await make_product(session, sku="BOLT")
    await make_account_price(session, account=abc, product=nut, price="0.50")
    key = await make_api_key(session, scopes=[ApiKeyScope.SYNC])
    run_id = await _open(client, key, feed="ACCOUNT_PRICES", replace="FEED")
    staged = await client.execute(
        SEND,
        {
            "input": {
                "runId": run_id,
                "records": [
                    {"accountCode": "ABC1234", "sku": "BOLT", "price": "1.00"},
                    {"accountCode": "ABC1234", "sku": "MISSING", "price": "1.00"},
                ],
            }
        },
        token=key,
    )

    # when the ERP abandons it, then tries to send more and to commit it
    abandoned = await client.execute(ABANDON, {"input": {"runId": run_id}}, token=key)
    late = await client.execute(
        SEND,
        {"input": {"runId": run_id, "records": tiers("ABC1234", "BOLT", range(1, 2))}},
        token=key,
    )
    commit = await client.execute(COMMIT, {"input": {"runId": run_id}}, token=key)
    read = await client.execute(RUN, {"id": run_id}, token=key)

    # then the bad record was refused when sent, nothing was applied or deleted, and the
    # finished run refuses everything
    assert staged["syncAccountPrices"]["results"][1] == {
        "index": 1,
        "key": "ABC1234/MISSING/1",
        "outcome": "FAILED",
        "errors": [
            {
                "field": ["records", "1", "sku"],
                "code": "NOT_FOUND",
                "message": "No product with SKU MISSING",
            }
        ],
    }
    assert abandoned["abandonSyncRun"] == {
        "run": {"status": "ABANDONED", "stagedCount": 1},
        "errors": [],
    }
    refusal = [
        {
            "field": ["runId"],
            "code": "INVALID",
            "message": "The sync run is ABANDONED: open a new run",
        }
    ]
    assert late["syncAccountPrices"] == {"results": [], "counts": None, "errors": refusal}
    assert commit["commitSyncRun"]["errors"] == refusal
    assert read == {"syncRun": {"status": "ABANDONED", "stagedCount": 1, "counts": None}}
    assert await prices(session) == [("ABC1234", "NUT", 1, "0.50", RecordSource.ERP)]


async def test_bad_run_references_are_refused(client: GraphQLClient, session: AsyncSession) -> None:
    key = await make_api_key(session, scopes=[ApiKeyScope.SYNC])
    await make_account(session, code="ABC1234")
    await make_product(session, sku="BOLT")
    run_id = await _open(client, key, feed="ACCOUNT_PRICES")
    records = tiers("ABC1234", "BOLT", range(1, 2))

    wrong_feed = await client.execute(
        SEND_LEVELS,
        {"input": {"runId": run_id, "records": [{"sku": "BOLT", "priceLevel": "A", "price": "1"}]}},
        token=key,
    )
    with_replace = await client.execute(
        SEND, {"input": {"runId": run_id, "replace": True, "records": records}}, token=key
    )
    unknown = await client.execute(COMMIT, {"input": {"runId": "U3luY1J1bjo5OTk="}}, token=key)
    reader = await make_api_key(session, scopes=[ApiKeyScope.READ])
    forbidden = await client.errors(OPEN, {"input": {"feed": "ACCOUNT_PRICES"}}, token=reader)

    assert wrong_feed["syncPriceLevels"]["errors"] == [
        {
            "field": ["runId"],
            "code": "INVALID",
            "message": "The sync run is for ACCOUNT_PRICES, not LEVEL_PRICES",
        }
    ]
    assert with_replace["syncAccountPrices"]["errors"] == [
        {
            "field": ["replace"],
            "code": "INVALID",
            "message": "A sync run replaces when it is committed, within the scope it was "
            "opened with",
        }
    ]
    assert unknown["commitSyncRun"]["errors"] == [
        {"field": ["runId"], "code": "NOT_FOUND", "message": "No such sync run"}
    ]
    assert [e["extensions"]["code"] for e in forbidden] == ["FORBIDDEN"]


async def test_two_commits_of_one_run_at_once_apply_it_once(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a run with one staged price
    await make_account(session, code="ABC1234")
    await make_product(session, sku="BOLT")
    key = await make_api_key(session, scopes=[ApiKeyScope.SYNC])
    run_id = await _open(client, key, feed="ACCOUNT_PRICES", replace="FEED")
    await client.execute(
        SEND,
        {"input": {"runId": run_id, "records": tiers("ABC1234", "BOLT", range(1, 2))}},
        token=key,
    )

    # when two commits of it race
    answers = await asyncio.gather(
        *(client.execute(COMMIT, {"input": {"runId": run_id}}, token=key) for _ in range(2))
    )

    # then one applied it and the other was refused
    errors = sorted(str(a["commitSyncRun"]["errors"]) for a in answers)
    assert errors == [
        "[]",
        str(
            [
                {
                    "field": ["runId"],
                    "code": "INVALID",
                    "message": "The sync run is COMMITTED: open a new run",
                }
            ]
        ),
    ]
    assert len(await prices(session)) == 1
