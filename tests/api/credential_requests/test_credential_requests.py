"""credentialRequests, blocks and unblock: the workers' view of seed 002's request log."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from domain.credential_requests import CredentialRequestKind, CredentialRequestOutcome
from domain.enums import WorkerRole
from models import CredentialRequest
from models.types import utcnow
from tests.conftest import StatementCounter
from tests.factories import (
    PASSWORD,
    make_account,
    make_contact,
    make_credential_requests,
    make_worker,
)
from tests.graphql_client import GraphQLClient

LOG = """
query Log($filter: CredentialRequestFilter, $first: Int) {
  credentialRequests(filter: $filter, first: $first) {
    totalCount
    nodes { id kind ipAddress usernameOrEmail accountNumber outcome clearedAt }
  }
}
"""
NODE = "query Node($id: ID!) { node(id: $id) { ... on CredentialRequest { kind outcome } } }"
BLOCKS = "query { blocks { nodes { subject value attempts } } }"
PAIR_BLOCKS = "query { blocks { nodes { subject value ipAddress kinds attempts } } }"
UNBLOCK = """
mutation Unblock($input: UnblockInput!) {
  unblock(input: $input) { clearedAttempts blocks { subject value } errors { field code message } }
}
"""


async def test_workers_filter_the_log_at_a_constant_cost(
    client: GraphQLClient, session: AsyncSession, sql_counter: StatementCounter
) -> None:
    # given a log of many logins and a few verifications
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    token = await client.login("service", PASSWORD)
    await make_credential_requests(session, 40, username_or_email="mary")
    await make_credential_requests(
        session,
        3,
        kind=CredentialRequestKind.ACCOUNT_VERIFICATION,
        account_code="ABC1234",
        ip_address="192.0.2.9",
    )

    # when a worker reads pages of 5 and of 40
    sql_counter.reset()
    small = await client.execute(LOG, {"first": 5}, token=token)
    small_cost = sql_counter.count
    sql_counter.reset()
    large = await client.execute(LOG, {"first": 40}, token=token)

    # then both cost the same, and filters narrow the log
    assert sql_counter.count == small_cost
    assert len(small["credentialRequests"]["nodes"]) == 5
    assert len(large["credentialRequests"]["nodes"]) == 40
    verification = await client.execute(
        LOG, {"filter": {"kind": "ACCOUNT_VERIFICATION", "accountNumber": "abc1234"}}, token=token
    )
    assert verification["credentialRequests"]["totalCount"] == 3
    first = verification["credentialRequests"]["nodes"][0]
    assert {k: v for k, v in first.items() if k != "id"} == {
        "kind": "ACCOUNT_VERIFICATION",
        "ipAddress": "192.0.2.9",
        "usernameOrEmail": None,
        "accountNumber": "ABC1234",
        "outcome": "FAILURE",
        "clearedAt": None,
    }
    fetched = await client.execute(NODE, {"id": first["id"]}, token=token)
    assert fetched == {"node": {"kind": "ACCOUNT_VERIFICATION", "outcome": "FAILURE"}}


async def test_only_staff_read_the_log(client: GraphQLClient, session: AsyncSession) -> None:
    # given a contact
    account = await make_account(session)
    await make_contact(session, account=account, username="mary")
    token = await client.login("mary", PASSWORD)

    # when it asks for the log, the blocks, or an unblock
    log = await client.errors(LOG, token=token)
    blocks = await client.errors(BLOCKS, token=token)
    unblock = await client.errors(UNBLOCK, {"input": {"ipAddress": "1.2.3.4"}}, token=token)

    # then each is forbidden
    assert [e["extensions"]["code"] for e in log + blocks + unblock] == ["FORBIDDEN"] * 3


async def test_old_failures_do_not_block_and_an_unblock_needs_a_subject(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given five failures from an hour ago and five of a name now
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    token = await client.login("service", PASSWORD)
    hour_ago = utcnow() - timedelta(hours=1)
    for _ in range(5):
        session.add(
            CredentialRequest(
                occurred_at=hour_ago,
                kind=CredentialRequestKind.LOGIN,
                ip_address="192.0.2.50",
                outcome=CredentialRequestOutcome.FAILURE,
            )
        )
    await session.commit()
    await make_credential_requests(session, 5, username_or_email="mary", ip_address="192.0.2.7")

    # when a worker lists the blocks, and sends an empty unblock
    blocks = await client.execute(PAIR_BLOCKS, token=token)
    empty = await client.execute(UNBLOCK, {"input": {}}, token=token)

    # then only the recent name is blocked, at its address and for password checks only, and
    # the empty unblock is refused
    assert blocks == {
        "blocks": {
            "nodes": [
                {
                    "subject": "USERNAME_OR_EMAIL_AT_IP_ADDRESS",
                    "value": "mary",
                    "ipAddress": "192.0.2.7",
                    "kinds": ["LOGIN", "PASSWORD_CHANGE"],
                    "attempts": 5,
                }
            ]
        }
    }
    assert empty["unblock"]["errors"] == [
        {
            "field": None,
            "code": "REQUIRED",
            "message": "Give an IP address, a username or e-mail, or an account number",
        }
    ]
