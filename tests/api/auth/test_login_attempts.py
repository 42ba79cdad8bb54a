"""login: one answer for unknown users and wrong passwords, logged and rate limited."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import WorkerRole
from tests.conftest import StatementCounter
from tests.factories import PASSWORD, make_account, make_contact, make_worker
from tests.graphql_client import GraphQLClient

LOGIN = """
mutation Login($input: LoginInput!) {
  login(input: $input) { token errors { field code message } }
}
"""
SIX_GUESSES = (
    "mutation {"
    + "".join(
        f' g{n}: login(input: {{username: "mary", password: "guess-{n}-guess"}})'
        " { errors { code } }"
        for n in range(6)
    )
    + " }"
)
LOG = """
query Log($filter: CredentialRequestFilter) {
  credentialRequests(filter: $filter) {
    totalCount
    nodes { kind ipAddress usernameOrEmail outcome }
  }
}
"""


async def test_unknown_user_and_wrong_password_answer_alike(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given one login
    account = await make_account(session)
    await make_contact(session, account=account, username="mary")

    # when it is tried with a wrong password, and a name nobody has is tried
    wrong = await client.raw(LOGIN, {"input": {"username": "mary", "password": "wrong-password"}})
    unknown = await client.raw(LOGIN, {"input": {"username": "nobody", "password": "x"}})

    # then the two bodies are the same
    assert wrong.json() == unknown.json()
    assert wrong.json()["data"] == {
        "login": {
            "token": None,
            "errors": [
                {
                    "field": None,
                    "code": "INVALID_CREDENTIALS",
                    "message": "Invalid username or password",
                }
            ],
        }
    }


async def test_unknown_user_and_wrong_password_do_the_same_work(
    client: GraphQLClient, session: AsyncSession, sql_counter: StatementCounter
) -> None:
    # given one login
    account = await make_account(session)
    await make_contact(session, account=account, username="mary")

    # when a wrong password and an unknown name are tried
    sql_counter.reset()
    await client.raw(LOGIN, {"input": {"username": "mary", "password": "wrong-password"}})
    wrong = list(sql_counter.statements)
    sql_counter.reset()
    await client.raw(LOGIN, {"input": {"username": "nobody", "password": "wrong-password"}})

    # then the same statements ran (and both verified a password hash): same time
    assert sql_counter.statements == wrong


async def test_aliased_guesses_in_one_request_each_count(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given one login and a worker to read the log
    account = await make_account(session)
    await make_contact(session, account=account, username="mary")
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    worker = await client.login("service", PASSWORD)

    # when six guesses come in one document
    data = await client.execute(SIX_GUESSES)

    # then the sixth is refused without being checked (the name is blocked at this address),
    # and all six are in the log
    assert [data[f"g{n}"]["errors"][0]["code"] for n in range(6)] == ["INVALID_CREDENTIALS"] * 5 + [
        "RATE_LIMITED"
    ]
    log = await client.execute(LOG, {"filter": {"usernameOrEmail": "MARY"}}, token=worker)
    assert log["credentialRequests"]["totalCount"] == 6
    assert log["credentialRequests"]["nodes"][0] == {
        "kind": "LOGIN",
        "ipAddress": "127.0.0.1",
        "usernameOrEmail": "mary",
        "outcome": "RATE_LIMITED",
    }


async def test_the_client_ip_comes_from_a_trusted_proxy_only(
    client: GraphQLClient, proxied_client: GraphQLClient, session: AsyncSession
) -> None:
    # given a worker
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    forwarded = {"X-Forwarded-For": "198.51.100.1, 203.0.113.9"}

    # when one failed login arrives through the trusted proxy and one straight from a client
    # that claims to be forwarded
    body = {"input": {"username": "ghost", "password": "nope"}}
    await proxied_client.raw(LOGIN, body, headers=forwarded)
    await client.raw(LOGIN, body, headers=forwarded)

    # then the proxy's client is the last untrusted hop, and the direct client its own peer
    worker = await client.login("service", PASSWORD)
    log = await client.execute(LOG, {"filter": {"outcome": "FAILURE"}}, token=worker)
    assert [n["ipAddress"] for n in log["credentialRequests"]["nodes"]] == [
        "127.0.0.1",
        "203.0.113.9",
    ]
