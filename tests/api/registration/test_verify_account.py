"""verifyAccount: one answer for every wrong part, invoice recency, and brute force stopped."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import WorkerRole
from domain.registration import CUSTOMER_DATA_SECTION
from models import Account
from tests.api.registration.operations import VERIFICATION_FAILED, VERIFY_ACCOUNT
from tests.conftest import StatementCounter
from tests.factories import (
    PASSWORD,
    make_account,
    make_address,
    make_invoice,
    make_worker,
    save_settings,
)
from tests.graphql_client import GraphQLClient

RATE_LIMITED = [
    {"field": None, "code": "RATE_LIMITED", "message": "Too many attempts; try again later"}
]
UNBLOCK = """
mutation Unblock($input: UnblockInput!) {
  unblock(input: $input) { clearedAttempts blocks { subject value } errors { code } }
}
"""
BLOCKS = "query { blocks { nodes { subject value attempts } } }"


async def _verifiable(
    session: AsyncSession, *, invoice_age_days: int = 10, **account: Any
) -> Account:
    await save_settings(session, CUSTOMER_DATA_SECTION, allow_new_contacts=True)
    row = await make_account(session, code="ABC1234", **account)
    await make_address(session, account=row, postcode="SW1A 1AA", is_primary=True)
    await make_invoice(
        session,
        account=row,
        number="INV-1001",
        invoice_date=date.today() - timedelta(days=invoice_age_days),
    )
    return row


def _input(**overrides: str) -> dict[str, Any]:
    values = {"accountNumber": "ABC1234", "billingPostcode": "sw1a1aa", "invoiceNumber": "INV-1001"}
    return {"input": {**values, **overrides}}


@pytest.mark.parametrize(
    "wrong",
    [
        {"accountNumber": "ABC9999"},
        {"billingPostcode": "SW1A 1AB"},
        {"invoiceNumber": "INV-1002"},
    ],
    ids=["account", "postcode", "invoice"],
)
async def test_any_wrong_part_gets_the_same_answer(
    client: GraphQLClient, session: AsyncSession, wrong: dict[str, str]
) -> None:
    # given a verifiable account, and another account's invoice numbered INV-1002
    await _verifiable(session)
    other = await make_account(session, code="OTHER1")
    await make_invoice(session, account=other, number="INV-1002", invoice_date=date.today())

    # when one part is wrong
    data = await client.execute(VERIFY_ACCOUNT, _input(**wrong))

    # then the answer never says which
    assert data["verifyAccount"] == {"ticket": None, "account": None, "errors": VERIFICATION_FAILED}


async def test_every_wrong_part_runs_the_same_statements(
    client: GraphQLClient, session: AsyncSession, sql_counter: StatementCounter
) -> None:
    # given a verifiable account
    await _verifiable(session)
    wrong_parts = [
        {"accountNumber": "ABC9999"},
        {"billingPostcode": "2000"},
        {"invoiceNumber": "INV-9"},
    ]

    # when each part in turn is wrong
    runs = []
    for wrong in wrong_parts:
        sql_counter.reset()
        await client.execute(VERIFY_ACCOUNT, _input(**wrong))
        runs.append(list(sql_counter.statements))

    # then the server did exactly the same work each time: timing cannot tell them apart
    assert runs[0] == runs[1] == runs[2]


async def test_an_old_invoice_or_a_disabled_account_does_not_verify(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given the only invoice is older than the 365 days allowed
    await _verifiable(session, invoice_age_days=400)

    # when the details are otherwise right
    stale = await client.execute(VERIFY_ACCOUNT, _input())

    # then verification fails the same way; with a longer recency it passes
    assert stale["verifyAccount"]["errors"] == VERIFICATION_FAILED
    await save_settings(session, CUSTOMER_DATA_SECTION, verification_recency_days=500)
    fresh = await client.execute(VERIFY_ACCOUNT, _input())
    assert fresh["verifyAccount"]["errors"] == []


async def test_a_disabled_account_does_not_verify(
    client: GraphQLClient, session: AsyncSession
) -> None:
    await _verifiable(session, is_active=False)

    data = await client.execute(VERIFY_ACCOUNT, _input())

    assert data["verifyAccount"]["errors"] == VERIFICATION_FAILED


async def test_guessing_invoice_numbers_is_stopped_until_a_worker_unblocks(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a verifiable account and a worker
    await _verifiable(session)
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    worker = await client.login("service", PASSWORD)

    # when someone guesses five invoice numbers, then tries the right one
    guesses = [
        await client.execute(VERIFY_ACCOUNT, _input(invoiceNumber=f"INV-{n}")) for n in range(5)
    ]
    right = await client.execute(VERIFY_ACCOUNT, _input())

    # then the guesses fail, and even the right answer is refused unchecked
    assert [g["verifyAccount"]["errors"] for g in guesses] == [VERIFICATION_FAILED] * 5
    assert right["verifyAccount"] == {"ticket": None, "account": None, "errors": RATE_LIMITED}
    blocked = await client.execute(BLOCKS, token=worker)
    # (the address is not: its limit, RATE_LIMIT_IP_FAILURES, is higher)
    assert blocked["blocks"]["nodes"] == [
        {"subject": "ACCOUNT_NUMBER", "value": "ABC1234", "attempts": 5}
    ]

    # when a worker unblocks the account number and the IP address
    unblocked = await client.execute(
        UNBLOCK, {"input": {"accountNumber": "abc1234", "ipAddress": "127.0.0.1"}}, token=worker
    )
    after = await client.execute(VERIFY_ACCOUNT, _input())

    # then the right answer gets through
    assert unblocked["unblock"] == {"clearedAttempts": 5, "blocks": [], "errors": []}
    assert after["verifyAccount"]["errors"] == []
    assert after["verifyAccount"]["ticket"].startswith("tpv_")


async def test_an_account_number_is_blocked_whatever_the_ip(
    proxied_client: GraphQLClient, session: AsyncSession
) -> None:
    # given a verifiable account guessed at from five addresses, behind a trusted proxy
    await _verifiable(session)
    for n in range(5):
        await proxied_client.raw(
            VERIFY_ACCOUNT,
            _input(invoiceNumber=f"INV-{n}"),
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
        )

    # when the right answer comes from yet another address, and another account is verified
    # from the first address
    data = await proxied_client.raw(
        VERIFY_ACCOUNT, _input(), headers={"X-Forwarded-For": "198.51.100.7"}
    )
    other = await make_account(session, code="XYZ1")
    await make_address(session, account=other, postcode="2000", is_primary=True)
    await make_invoice(session, account=other, number="X-1", invoice_date=date.today())
    elsewhere = await proxied_client.raw(
        VERIFY_ACCOUNT,
        {"input": {"accountNumber": "XYZ1", "billingPostcode": "2000", "invoiceNumber": "X-1"}},
        headers={"X-Forwarded-For": "203.0.113.0"},
    )

    # then the account number itself is blocked, while each address alone is not
    assert data.json()["data"]["verifyAccount"]["errors"] == RATE_LIMITED
    assert elsewhere.json()["data"]["verifyAccount"]["errors"] == []


async def test_concurrent_guesses_at_one_account_from_many_addresses_are_counted_exactly(
    proxied_client: GraphQLClient, session: AsyncSession
) -> None:
    # given a verifiable account
    await _verifiable(session)

    # when 20 wrong invoice numbers for it arrive at once, each from its own address
    responses = await asyncio.gather(
        *(
            proxied_client.raw(
                VERIFY_ACCOUNT,
                _input(invoiceNumber=f"INV-{n}"),
                headers={"X-Forwarded-For": f"203.0.113.{n}"},
            )
            for n in range(20)
        )
    )

    # then exactly five were checked, and the rest refused unchecked
    codes = Counter(r.json()["data"]["verifyAccount"]["errors"][0]["code"] for r in responses)
    assert codes == {VERIFICATION_FAILED[0]["code"]: 5, "RATE_LIMITED": 15}


def _aliased_verifications(invoice_numbers: list[str]) -> str:
    calls = "\n".join(
        f'  v{n}: verifyAccount(input: {{accountNumber: "ABC1234", billingPostcode: "SW1A 1AA",'
        f' invoiceNumber: "{number}"}}) {{ ticket errors {{ code }} }}'
        for n, number in enumerate(invoice_numbers)
    )
    return "mutation {\n" + calls + "\n}"


async def test_aliases_count_one_attempt_each_and_cannot_exceed_the_alias_limit(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a verifiable account
    await _verifiable(session)

    # when nine wrong invoice numbers and then the right one arrive as aliases of one request,
    # and then fifty aliases at once
    data = await client.execute(
        _aliased_verifications([f"INV-{n}" for n in range(9)] + ["INV-1001"])
    )
    fifty = await client.errors(_aliased_verifications([f"INV-{n}" for n in range(50)]))

    # then each alias was an attempt: five failures, then refusals, the right answer included
    codes = [
        data[f"v{n}"]["errors"][0]["code"] if data[f"v{n}"]["errors"] else "OK" for n in range(10)
    ]
    assert codes == ["INVALID"] * 5 + ["RATE_LIMITED"] * 5
    assert [e["message"] for e in fifty] == ["50 aliases found. Allowed: 30"]
