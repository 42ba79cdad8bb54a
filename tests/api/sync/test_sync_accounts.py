"""syncAccounts: idempotent batch upserts keyed by ERP key, per-record outcomes, createLogin."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from core.settings import Settings
from domain.enums import ApiKeyScope, MembershipRole
from models import Account, AccountMembership, Contact
from resolvers import customer_sync
from tests.conftest import StatementCounter
from tests.factories import PASSWORD, make_account, make_api_key, make_contact
from tests.graphql_client import GraphQLClient

SYNC = """
mutation Sync($input: SyncAccountsInput!) {
  syncAccounts(input: $input) {
    counts { created updated unchanged deleted failed }
    results {
      index key outcome
      account { code companyName paymentTypes lastSyncedAt userCreatedForAccount source }
      errors { field code message }
    }
    errors { field code message }
  }
}
"""


async def sync_key(session: AsyncSession, settings: Settings) -> str:
    return await make_api_key(session, scopes=[ApiKeyScope.SYNC], secret_key=settings.secret_key)


def record(**values: Any) -> dict[str, Any]:
    return {"erpKey": "E1", "code": "a100", "companyName": "Alpha Pty", **values}


async def test_a_batch_is_created_then_unchanged_then_updated(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    # given an integrator's key
    token = await sync_key(session, settings)
    batch = [record(paymentTypes="AC,CC"), record(erpKey="E2", code="B200", companyName="Beta")]

    # when the same batch is sent twice, then once with a change
    first = await client.execute(SYNC, {"input": {"records": batch}}, token=token)
    again = await client.execute(SYNC, {"input": {"records": batch}}, token=token)
    changed = await client.execute(
        SYNC,
        {"input": {"records": [record(paymentTypes="PP", companyName="Alpha Ltd")]}},
        token=token,
    )

    # then
    created = first["syncAccounts"]
    assert created["counts"] == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "deleted": 0,
        "failed": 0,
    }
    assert created["results"][0] | {"account": None} == {
        "index": 0,
        "key": "E1",
        "outcome": "CREATED",
        "account": None,
        "errors": [],
    }
    account = created["results"][0]["account"]
    assert account | {"lastSyncedAt": None} == {
        "code": "A100",
        "companyName": "Alpha Pty",
        "paymentTypes": ["ON_ACCOUNT", "CREDIT_CARD"],
        "lastSyncedAt": None,
        "userCreatedForAccount": False,
        "source": "ERP",
    }
    assert account["lastSyncedAt"] is not None
    assert again["syncAccounts"]["counts"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
        "deleted": 0,
        "failed": 0,
    }
    assert again["syncAccounts"]["results"][0]["account"]["lastSyncedAt"] == account["lastSyncedAt"]
    assert changed["syncAccounts"]["results"][0]["outcome"] == "UPDATED"
    assert changed["syncAccounts"]["results"][0]["account"]["paymentTypes"] == ["PAYPAL"]


async def test_bad_records_are_reported_one_by_one_and_the_rest_are_saved(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    # given an account number the web already uses
    await make_account(session, code="TAKEN", erp_key=None)
    token = await sync_key(session, settings)
    batch = [
        record(),
        record(erpKey="E2", code="TAKEN"),
        record(erpKey="E3", code="C300", paymentTypes="AC,XX"),
        record(erpKey="E1", code="D400"),
    ]

    data = await client.execute(SYNC, {"input": {"records": batch}}, token=token)

    payload = data["syncAccounts"]
    assert payload["counts"] == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "deleted": 0,
        "failed": 3,
    }
    assert [(r["outcome"], r["errors"]) for r in payload["results"]] == [
        ("CREATED", []),
        (
            "FAILED",
            [
                {
                    "field": ["records", "1", "code"],
                    "code": "DUPLICATE",
                    "message": "code TAKEN belongs to another record",
                }
            ],
        ),
        (
            "FAILED",
            [
                {
                    "field": ["records", "2", "paymentTypes"],
                    "code": "INVALID",
                    "message": "unknown payment type code 'XX'",
                }
            ],
        ),
        (
            "FAILED",
            [
                {
                    "field": ["records", "3", "erpKey"],
                    "code": "DUPLICATE",
                    "message": "erpKey E1 appears twice in the batch",
                }
            ],
        ),
    ]
    codes = set(await session.scalars(select(col(Account.code))))
    assert codes == {"TAKEN", "A100"}


async def test_more_than_1000_records_are_refused_whole(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    token = await sync_key(session, settings)
    batch = [record(erpKey=f"E{n}", code=f"A{n}") for n in range(1001)]

    data = await client.execute(SYNC, {"input": {"records": batch}}, token=token)

    assert data["syncAccounts"] == {
        "counts": None,
        "results": [],
        "errors": [
            {
                "field": ["records"],
                "code": "LIMIT_EXCEEDED",
                "message": "At most 1000 records a call, got 1001",
            }
        ],
    }


async def test_create_login_creates_one_contact_login_for_the_imported_account(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    # given a username the web already uses
    await make_contact(session, username="taken")
    token = await sync_key(session, settings)
    login = {"username": "Alpha.Buyer", "name": "Alpha Buyer", "email": "buyer@alpha.example"}

    # when
    first = await client.execute(
        SYNC, {"input": {"records": [record(createLogin=login)]}}, token=token
    )
    again = await client.execute(
        SYNC, {"input": {"records": [record(createLogin={"username": "other"})]}}, token=token
    )
    taken = await client.execute(
        SYNC,
        {"input": {"records": [record(erpKey="E2", code="B2", createLogin={"username": "taken"})]}},
        token=token,
    )

    # then one administrator login, default at the account, awaiting its password
    assert first["syncAccounts"]["results"][0]["account"]["userCreatedForAccount"] is True
    assert again["syncAccounts"]["results"][0]["outcome"] == "UNCHANGED"
    contact = (
        await session.scalars(select(Contact).where(col(Contact.username) == "alpha.buyer"))
    ).one()
    assert (contact.name, contact.email, contact.password_hash) == (
        "Alpha Buyer",
        "buyer@alpha.example",
        None,
    )
    membership = (
        await session.scalars(
            select(AccountMembership).where(col(AccountMembership.contact_id) == contact.id)
        )
    ).one()
    assert (membership.role, membership.is_default) == (MembershipRole.ADMINISTRATOR, True)
    assert await session.scalar(select(Contact).where(col(Contact.username) == "other")) is None
    assert taken["syncAccounts"]["results"][0]["errors"] == [
        {
            "field": ["records", "0", "createLogin", "username"],
            "code": "DUPLICATE",
            "message": "That username is taken",
        }
    ]


async def test_only_sync_keys_and_staff_may_sync(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    account = await make_account(session, code="X1")
    await make_contact(session, account=account, username="mary", role=MembershipRole.ADMINISTRATOR)
    read_key = await make_api_key(
        session, scopes=[ApiKeyScope.READ], secret_key=settings.secret_key
    )
    contact_token = await client.login("mary", PASSWORD)

    by_contact = await client.errors(SYNC, {"input": {"records": [record()]}}, token=contact_token)
    by_reader = await client.errors(SYNC, {"input": {"records": [record()]}}, token=read_key)

    expected = [("An API key with the `sync` scope is needed", "FORBIDDEN")]
    assert [(e["message"], e["extensions"]["code"]) for e in by_contact] == expected
    assert [(e["message"], e["extensions"]["code"]) for e in by_reader] == expected


async def test_a_call_costs_the_same_sql_for_3_or_30_records(
    client: GraphQLClient, session: AsyncSession, settings: Settings, sql_counter: StatementCounter
) -> None:
    # given
    token = await sync_key(session, settings)
    await client.execute("{ viewer { kind } }", token=token)  # the key's first use is recorded
    counts = []

    # when batches of 3 and of 30 new accounts are synced, then the same again changed
    for size, name in ((3, "New"), (30, "New"), (3, "Renamed"), (30, "Renamed")):
        offset = 0 if size == 3 else 100
        batch = [
            record(erpKey=f"E{offset + n}", code=f"A{offset + n}", companyName=f"{name} {n}")
            for n in range(size)
        ]
        sql_counter.reset()
        data = await client.execute(SYNC, {"input": {"records": batch}}, token=token)
        assert data["syncAccounts"]["counts"]["failed"] == 0
        counts.append(sql_counter.count)

    # then
    assert counts[0] == counts[1]
    assert counts[2] == counts[3]


async def test_an_atomic_batch_with_a_bad_record_writes_nothing(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    # given
    token = await sync_key(session, settings)
    login = {"username": "alpha.buyer"}
    batch = [record(createLogin=login), record(erpKey="E2", code="B200", paymentTypes="XX")]

    # when
    data = await client.execute(SYNC, {"input": {"records": batch, "atomic": True}}, token=token)

    # then the bad record's refusal is the call's, and not even the good record's login exists
    assert data["syncAccounts"] == {
        "counts": None,
        "results": [],
        "errors": [
            {
                "field": ["records", "1", "paymentTypes"],
                "code": "INVALID",
                "message": "unknown payment type code 'XX'",
            }
        ],
    }
    assert (await session.scalars(select(Account))).all() == []
    assert (await session.scalars(select(Contact))).all() == []


async def test_a_sync_racing_another_for_one_erp_key_is_refused_cleanly(
    client: GraphQLClient,
    session: AsyncSession,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given another sync that creates ERP key E1 after this one looked for it, before it inserts
    token = await sync_key(session, settings)
    checks = customer_sync._refuse_unique_clashes

    async def rival_sync_meanwhile(context: Any, *args: Any) -> None:
        await checks(context, *args)
        context.session.add(Account(code="RIVAL", erp_key="E1", company_name="Rival"))
        await context.session.flush()

    monkeypatch.setattr(customer_sync, "_refuse_unique_clashes", rival_sync_meanwhile)

    # when
    data = await client.execute(SYNC, {"input": {"records": [record()]}}, token=token)

    # then the unique ERP key refuses the second account, as a payload error (not a 500)
    assert data["syncAccounts"] == {
        "counts": None,
        "results": [],
        "errors": [
            {
                "field": None,
                "code": "DUPLICATE",
                "message": "The change conflicts with data saved at the same time; try again",
            }
        ],
    }
    assert (await session.scalars(select(Account))).all() == []
