"""moveContact and approving pending accounts: the workers' side of seed 001."""

from __future__ import annotations

import base64

from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import WorkerRole
from tests.api.registration.operations import MOVE_CONTACT, SET_ACCOUNT_ACTIVE
from tests.factories import PASSWORD, make_account, make_contact, make_membership, make_worker
from tests.graphql_client import GraphQLClient


def gid(type_name: str, key: int | None) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


async def test_a_contact_cannot_move_to_an_account_it_already_belongs_to_or_nowhere(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a contact of two accounts, a contact of none, and a worker
    web = await make_account(session, code="W1000")
    erp = await make_account(session, code="NGU001")
    member = await make_contact(session, account=web, username="linh")
    await make_membership(session, contact=member, account=erp)
    loner = await make_contact(session, username="loner")
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    token = await client.login("service", PASSWORD)

    # when the worker moves each to the ERP account, and a missing contact
    twice = await client.execute(
        MOVE_CONTACT,
        {"input": {"contactId": gid("Contact", member.id), "accountId": gid("Account", erp.id)}},
        token=token,
    )
    nowhere = await client.execute(
        MOVE_CONTACT,
        {"input": {"contactId": gid("Contact", loner.id), "accountId": gid("Account", erp.id)}},
        token=token,
    )
    missing = await client.execute(
        MOVE_CONTACT,
        {"input": {"contactId": gid("Contact", 999), "accountId": gid("Account", erp.id)}},
        token=token,
    )

    # then each is refused on its field
    assert [r["moveContact"]["errors"] for r in (twice, nowhere, missing)] == [
        [
            {
                "field": ["accountId"],
                "code": "DUPLICATE",
                "message": "The contact is already a member of this account",
            }
        ],
        [
            {
                "field": ["contactId"],
                "code": "INVALID",
                "message": "The contact has no account to move from",
            }
        ],
        [{"field": ["contactId"], "code": "NOT_FOUND", "message": "No such contact"}],
    ]


async def test_only_staff_move_contacts(client: GraphQLClient, session: AsyncSession) -> None:
    account = await make_account(session)
    contact = await make_contact(session, account=account, username="linh")
    token = await client.login("linh", PASSWORD)

    errors = await client.errors(
        MOVE_CONTACT,
        {"input": {"contactId": gid("Contact", contact.id), "accountId": gid("Account", 1)}},
        token=token,
    )

    assert [e["extensions"]["code"] for e in errors] == ["FORBIDDEN"]


async def test_enabling_an_account_that_was_not_pending_leaves_its_contacts_alone(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a disabled ERP account whose contact a worker disabled on purpose
    account = await make_account(session, code="C1001", is_active=False)
    await make_contact(session, account=account, username="gone", is_enabled=False)
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    token = await client.login("service", PASSWORD)

    # when the account is enabled again
    data = await client.execute(
        SET_ACCOUNT_ACTIVE,
        {"input": {"id": gid("Account", account.id), "isActive": True}},
        token=token,
    )

    # then the contact stays disabled
    assert data["setAccountActive"]["account"]["contacts"] == {
        "nodes": [{"username": "gone", "isEnabled": False}]
    }
