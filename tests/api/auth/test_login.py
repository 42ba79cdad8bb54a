"""login, logout, viewer, and integrators' API keys."""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import ApiKeyScope, MembershipRole, WorkerRole
from tests.factories import (
    PASSWORD,
    make_account,
    make_api_key,
    make_contact,
    make_membership,
    make_worker,
)
from tests.graphql_client import GraphQLClient, gid

LOGIN = """
mutation Login($input: LoginInput!) {
  login(input: $input) {
    token
    viewer { kind contact { name } worker { username role } activeAccount { code } }
    errors { field code message }
  }
}
"""

VIEWER = """
query { viewer { kind activeAccount { code } memberships { nodes { role account { code } } } } }
"""

CREATE_KEY = """
mutation Create($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { id name scopes prefix } errors { code message } }
}
"""


async def test_a_contact_logs_in_to_its_default_account(
    client: GraphQLClient, session: AsyncSession
) -> None:
    home = await make_account(session, code="HOME")
    away = await make_account(session, code="AWAY")
    contact = await make_contact(session, account=home, username="mary", name="Mary")
    await make_membership(session, contact=contact, account=away, role=MembershipRole.APPROVER)

    data = await client.execute(LOGIN, {"input": {"username": "Mary", "password": PASSWORD}})
    token = data["login"]["token"]
    viewer = await client.execute(VIEWER, token=token)

    assert token.startswith("tps_")
    assert data["login"]["viewer"] == {
        "kind": "CONTACT",
        "contact": {"name": "Mary"},
        "worker": None,
        "activeAccount": {"code": "HOME"},
    }
    assert viewer["viewer"] == {
        "kind": "CONTACT",
        "activeAccount": {"code": "HOME"},
        "memberships": {
            "nodes": [
                {"role": "SHOPPER", "account": {"code": "HOME"}},
                {"role": "APPROVER", "account": {"code": "AWAY"}},
            ]
        },
    }


async def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(
    client: GraphQLClient, session: AsyncSession
) -> None:
    account = await make_account(session)
    await make_contact(session, account=account, username="mary")

    unknown = await client.raw(LOGIN, {"input": {"username": "nobody", "password": PASSWORD}})
    wrong = await client.raw(LOGIN, {"input": {"username": "mary", "password": "wrong-password"}})

    assert unknown.status_code == wrong.status_code == 200
    assert unknown.json() == wrong.json()
    assert unknown.json()["data"] == {
        "login": {
            "token": None,
            "viewer": None,
            "errors": [
                {
                    "field": None,
                    "code": "INVALID_CREDENTIALS",
                    "message": "Invalid username or password",
                }
            ],
        }
    }


async def test_a_worker_logs_in_and_logs_out(client: GraphQLClient, session: AsyncSession) -> None:
    await make_worker(session, username="rep1", role=WorkerRole.SALES_REP, rep_code="REP01")

    data = await client.execute(LOGIN, {"input": {"username": "rep1", "password": PASSWORD}})
    token = data["login"]["token"]
    logout = await client.execute("mutation { logout { errors { code } } }", token=token)
    after = await client.raw(VIEWER, token=token)

    assert data["login"]["viewer"] == {
        "kind": "WORKER",
        "contact": None,
        "worker": {"username": "rep1", "role": "SALES_REP"},
        "activeAccount": None,
    }
    assert logout == {"logout": {"errors": []}}
    assert after.status_code == 401


async def test_anonymous_viewer(client: GraphQLClient) -> None:
    data = await client.execute(VIEWER)

    assert data == {
        "viewer": {"kind": "ANONYMOUS", "activeAccount": None, "memberships": {"nodes": []}}
    }


async def test_an_admin_creates_and_revokes_an_api_key(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an ADMIN worker
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    admin = await client.login("admin", PASSWORD)

    # when it creates a sync key, and the integrator uses it
    created = await client.execute(
        CREATE_KEY, {"input": {"name": "ERP connector", "scopes": ["SYNC"]}}, token=admin
    )
    payload = created["createApiKey"]
    as_integrator = await client.execute(VIEWER, token=payload["secret"])
    listed = await client.execute("query { apiKeys { nodes { name lastUsedAt } } }", token=admin)
    revoked = await client.execute(
        "mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) "
        "{ apiKey { revokedAt } errors { code } } }",
        {"input": {"id": payload["apiKey"]["id"]}},
        token=admin,
    )
    after = await client.raw(VIEWER, token=payload["secret"])

    # then the key works until it is revoked, and only its prefix is ever shown again
    assert payload["secret"].startswith("tpk_")
    assert payload["apiKey"]["scopes"] == ["SYNC"]
    assert payload["secret"].startswith(payload["apiKey"]["prefix"])
    assert as_integrator["viewer"]["kind"] == "API_KEY"
    assert listed["apiKeys"]["nodes"][0]["name"] == "ERP connector"
    assert listed["apiKeys"]["nodes"][0]["lastUsedAt"] is not None
    assert revoked["revokeApiKey"]["apiKey"]["revokedAt"] is not None
    assert after.status_code == 401


async def test_only_admins_manage_api_keys(client: GraphQLClient, session: AsyncSession) -> None:
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    token = await client.login("service", PASSWORD)

    errors = await client.errors(
        CREATE_KEY, {"input": {"name": "sneaky", "scopes": ["READ"]}}, token=token
    )
    listing = await client.errors("query { apiKeys { nodes { name } } }", token=token)

    assert [e["extensions"]["code"] for e in errors + listing] == ["FORBIDDEN", "FORBIDDEN"]


async def test_a_read_key_sees_accounts_but_cannot_change_them(
    client: GraphQLClient, session: AsyncSession
) -> None:
    account = await make_account(session, code="K1")
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    admin = await client.login("admin", PASSWORD)
    created = await client.execute(
        CREATE_KEY, {"input": {"name": "reporting", "scopes": ["READ"]}}, token=admin
    )
    key = created["createApiKey"]["secret"]

    listed = await client.execute("query { accounts { nodes { code } } }", token=key)
    update = await client.execute(
        "mutation($input: UpdateAccountInput!) { updateAccount(input: $input) "
        "{ errors { field code message } } }",
        {"input": {"id": gid("Account", account.id), "email": "x@y.example"}},
        token=key,
    )

    assert listed == {"accounts": {"nodes": [{"code": "K1"}]}}
    assert update["updateAccount"]["errors"] == [
        {"field": ["id"], "code": "NOT_PERMITTED", "message": "You may not manage this account"}
    ]


async def test_a_new_key_used_by_many_requests_at_once_answers_them_all(
    client: GraphQLClient, session: AsyncSession
) -> None:
    """On SQLite a request whose record of the key's first use loses to a writer rolls it back;
    it must still answer as the integrator. The race is timing-bound, so three fresh keys try."""
    sync = (
        'mutation { syncLocations(input: {records: [{code: "L1", name: "Main"}]}) '
        "{ errors { code } } }"
    )
    for _ in range(3):
        # given a sync key never used
        secret = await make_api_key(session, scopes=[ApiKeyScope.SYNC])

        # when forty requests with it arrive at once, half of them writing
        responses = await asyncio.gather(
            *(client.raw(sync if i % 2 else VIEWER, token=secret) for i in range(40))
        )

        # then every one is answered as the integrator, none with a server error
        assert [r.status_code for r in responses] == [200] * 40
        assert [r.json().get("errors") for r in responses] == [None] * 40
