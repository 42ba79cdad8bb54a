"""login throttling: concurrent guesses are counted exactly (one password check per allowed
attempt), and the limits follow OWASP's and NIST 800-63B's advice: per (username, IP address)
first, per IP address at a higher count, per username only at a much higher one."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

import resolvers.auth
from core.passwords import verify_password
from domain.enums import WorkerRole
from tests.conftest import ClientWith
from tests.factories import PASSWORD, make_account, make_contact, make_worker
from tests.graphql_client import GraphQLClient

LOGIN = """
mutation Login($input: LoginInput!) {
  login(input: $input) { token errors { field code message } }
}
"""
REQUEST_RESET = """
mutation Reset($input: RequestPasswordResetInput!) {
  requestPasswordReset(input: $input) { errors { code } }
}
"""


@pytest.fixture
def password_checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str | None]]:
    """The hashes login verified, in order (a missing user's check verifies None)."""
    checked: list[str | None] = []

    def counting(password_hash: str | None, password: str) -> bool:
        checked.append(password_hash)
        return verify_password(password_hash, password)

    monkeypatch.setattr(resolvers.auth, "verify_password", counting)
    yield checked


def _codes(responses: list[Any]) -> Counter[str]:
    return Counter(r.json()["data"]["login"]["errors"][0]["code"] for r in responses)


def _guess(username: str, n: int) -> dict[str, Any]:
    return {"input": {"username": username, "password": f"guess-{n}-of-many"}}


async def test_concurrent_wrong_logins_from_one_address_get_exactly_the_allowed_checks(
    client: GraphQLClient, session: AsyncSession, password_checks: list[str | None]
) -> None:
    # given one login
    account = await make_account(session)
    mary = await make_contact(session, account=account, username="mary")

    # when 40 wrong passwords for it arrive at once from one address
    responses = await asyncio.gather(*(client.raw(LOGIN, _guess("mary", n)) for n in range(40)))

    # then exactly five were checked; the rest were refused before any check
    assert _codes(responses) == {"INVALID_CREDENTIALS": 5, "RATE_LIMITED": 35}
    assert password_checks.count(mary.password_hash) == 5


async def test_concurrent_spraying_from_one_address_stops_at_the_address_limit(
    client_with: ClientWith, session: AsyncSession, password_checks: list[str | None]
) -> None:
    # given logins limited to 8 failures an address
    async with client_with(rate_limit_ip_failures=8) as client:
        # when 30 wrong logins for 30 different names arrive at once from one address
        responses = await asyncio.gather(
            *(client.raw(LOGIN, _guess(f"user{n}", n)) for n in range(30))
        )

    # then exactly eight were checked (two hashes each: worker and contact)
    assert _codes(responses) == {"INVALID_CREDENTIALS": 8, "RATE_LIMITED": 22}
    assert len(password_checks) == 16


async def test_reset_requests_never_lock_a_login(
    client: GraphQLClient, proxied_client: GraphQLClient, session: AsyncSession
) -> None:
    # given jane
    account = await make_account(session)
    await make_contact(session, account=account, username="jane", email="jane@example.com")

    # when someone asks for her password to be reset many times, from her address and others
    for n in range(12):
        await client.raw(REQUEST_RESET, {"input": {"usernameOrEmail": "jane"}})
        await proxied_client.raw(
            REQUEST_RESET,
            {"input": {"usernameOrEmail": "jane"}},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        )

    # then her correct password still logs her in
    response = await client.raw(LOGIN, {"input": {"username": "jane", "password": PASSWORD}})
    assert response.json()["data"]["login"]["errors"] == []


async def test_one_users_failures_do_not_lock_another_behind_the_same_address(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given two people of one office, behind one NAT address
    account = await make_account(session)
    await make_contact(session, account=account, username="mary")
    await make_contact(session, account=account, username="jane")

    # when mary gets her password wrong until she is refused
    codes = [
        (await client.raw(LOGIN, _guess("mary", n))).json()["data"]["login"]["errors"][0]["code"]
        for n in range(7)
    ]

    # then mary is refused after five, and jane still logs in from the same address
    assert codes == ["INVALID_CREDENTIALS"] * 5 + ["RATE_LIMITED"] * 2
    jane = await client.raw(LOGIN, {"input": {"username": "jane", "password": PASSWORD}})
    assert jane.json()["data"]["login"]["errors"] == []


async def test_the_address_limit_locks_everyone_behind_it_once_reached(
    client_with: ClientWith, session: AsyncSession
) -> None:
    # given a limit of 6 failures an address, and jane behind the address
    account = await make_account(session)
    await make_contact(session, account=account, username="jane")
    jane = {"input": {"username": "jane", "password": PASSWORD}}
    async with client_with(rate_limit_ip_failures=6) as client:
        # when five other names are guessed from it, then a sixth
        for n in range(5):
            await client.raw(LOGIN, _guess(f"user{n}", n))
        below = await client.raw(LOGIN, jane)
        await client.raw(LOGIN, _guess("user5", 5))
        reached = await client.raw(LOGIN, jane)

    # then jane logs in below the limit, and is refused like everyone once it is reached
    assert below.json()["data"]["login"]["errors"] == []
    assert reached.json()["data"]["login"]["errors"] == [
        {"field": None, "code": "RATE_LIMITED", "message": "Too many attempts; try again later"}
    ]


async def test_the_username_limit_trips_across_many_addresses(
    client_with: ClientWith, session: AsyncSession
) -> None:
    # given a username limit of 12 failures, and a worker to lift blocks
    account = await make_account(session)
    await make_contact(session, account=account, username="jane")
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    async with client_with(
        trusted_proxies=["127.0.0.1/32"], rate_limit_username_failures=12
    ) as client:

        async def login(password: str, ip: str) -> list[str]:
            response = await client.raw(
                LOGIN,
                {"input": {"username": "jane", "password": password}},
                headers={"X-Forwarded-For": ip},
            )
            return [e["code"] for e in response.json()["data"]["login"]["errors"]]

        # when jane's password is guessed once from each of eleven addresses, she logs in from
        # hers, and a twelfth address guesses
        for n in range(11):
            await login(f"guess-{n}-of-many", f"203.0.113.{n}")
        below = await login(PASSWORD, "192.0.2.77")
        await login("guess-11-of-many", "203.0.113.11")
        reached = await login(PASSWORD, "192.0.2.77")
        worker = await client.login("service", PASSWORD)
        await client.execute(
            'mutation { unblock(input: {usernameOrEmail: "jane"}) { clearedAttempts } }',
            token=worker,
        )
        unblocked = await login(PASSWORD, "192.0.2.77")

    # then no address reached a limit of its own, yet the twelfth failure refuses the name from
    # everywhere, until a worker unblocks it
    assert (below, reached, unblocked) == ([], ["RATE_LIMITED"], [])


def _aliased(names: list[str]) -> str:
    fields = "".join(
        f' {name}: login(input: {{username: "{name}", password: "guess-of-many"}})'
        " { errors { code } }"
        for name in names
    )
    return "mutation {" + fields + " }"


async def test_aliased_attempts_on_two_names_in_opposite_orders_never_deadlock(
    proxied_client: GraphQLClient, session: AsyncSession
) -> None:
    # given two logins
    account = await make_account(session)
    await make_contact(session, account=account, username="jane")
    await make_contact(session, account=account, username="bob")

    # when requests from many addresses guess both in one document, half of them jane first
    responses = await asyncio.gather(
        *(
            proxied_client.raw(
                _aliased(["jane", "bob"] if n % 2 else ["bob", "jane"]),
                headers={"X-Forwarded-For": f"203.0.113.{n}"},
            )
            for n in range(16)
        )
    )

    # then every request is answered: each guess checked or refused, none failed
    assert {r.status_code for r in responses} == {200}
    assert all("errors" not in r.json() for r in responses)
    codes = {
        e["code"]
        for r in responses
        for payload in r.json()["data"].values()
        for e in payload["errors"]
    }
    assert codes <= {"INVALID_CREDENTIALS", "RATE_LIMITED"}
