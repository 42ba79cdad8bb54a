"""contacts, contact, createContact, updateContact."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import MembershipRole, WorkerRole
from models import Contact
from tests.factories import PASSWORD, make_account, make_contact, make_worker
from tests.graphql_client import GraphQLClient, gid

CREATE = """
mutation Create($input: CreateContactInput!) {
  createContact(input: $input) {
    contact { name username isEnabled memberships { nodes { role isDefault account { code } } } }
    errors { field code message }
  }
}
"""

UPDATE = """
mutation Update($input: UpdateContactInput!) {
  updateContact(input: $input) { contact { name phone isEnabled } errors { field code message } }
}
"""

CONTACTS = """
query Contacts($filter: ContactFilter) {
  contacts(filter: $filter, first: 20) { totalCount nodes { name username isEnabled } }
}
"""


async def _contact_count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Contact)) or 0)


async def test_an_account_administrator_adds_a_contact_who_can_then_log_in(
    client: GraphQLClient, session: AsyncSession
) -> None:
    account = await make_account(session, code="CO1")
    await make_contact(session, account=account, username="boss", role=MembershipRole.ADMINISTRATOR)
    token = await client.login("boss", PASSWORD)

    data = await client.execute(
        CREATE,
        {
            "input": {
                "accountId": gid("Account", account.id),
                "name": "New Buyer",
                "email": "new@co1.example",
                "username": "NewBuyer",
                "password": "a-long-enough-secret",
            }
        },
        token=token,
    )

    assert data["createContact"] == {
        "contact": {
            "name": "New Buyer",
            "username": "newbuyer",
            "isEnabled": True,
            "memberships": {
                "nodes": [{"role": "SHOPPER", "isDefault": True, "account": {"code": "CO1"}}]
            },
        },
        "errors": [],
    }
    assert await client.login("newbuyer", "a-long-enough-secret")


async def test_a_contact_is_refused_with_every_reason_and_nothing_is_written(
    client: GraphQLClient, session: AsyncSession
) -> None:
    account = await make_account(session)
    await make_contact(session, account=account, username="boss", role=MembershipRole.ADMINISTRATOR)
    token = await client.login("boss", PASSWORD)
    before = await _contact_count(session)

    weak = await client.execute(
        CREATE,
        {
            "input": {
                "accountId": gid("Account", account.id),
                "name": "",
                "email": "nope",
                "username": "weakling",
                "password": "short",
            }
        },
        token=token,
    )
    taken = await client.execute(
        CREATE,
        {
            "input": {
                "accountId": gid("Account", account.id),
                "name": "Copycat",
                "username": "BOSS",
                "password": "a-long-enough-secret",
            }
        },
        token=token,
    )

    assert weak["createContact"]["errors"] == [
        {"field": ["name"], "code": "REQUIRED", "message": "name is required"},
        {"field": ["email"], "code": "INVALID", "message": "'nope' is not an e-mail address"},
        {
            "field": ["password"],
            "code": "INVALID",
            "message": "Password must be at least 12 characters",
        },
    ]
    assert taken["createContact"]["errors"] == [
        {"field": ["username"], "code": "DUPLICATE", "message": "That username is taken"}
    ]
    assert await _contact_count(session) == before


async def test_a_shopper_cannot_add_contacts(client: GraphQLClient, session: AsyncSession) -> None:
    account = await make_account(session)
    await make_contact(session, account=account, username="shopper")
    token = await client.login("shopper", PASSWORD)

    data = await client.execute(
        CREATE, {"input": {"accountId": gid("Account", account.id), "name": "X"}}, token=token
    )

    assert data["createContact"]["errors"] == [
        {
            "field": ["accountId"],
            "code": "NOT_PERMITTED",
            "message": "You may not manage this account",
        }
    ]


async def test_workers_find_enabled_and_disabled_contacts(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # CIMcloud web approval: the worker searches "for both enabled and disabled contacts"
    account = await make_account(session)
    await make_contact(
        session, account=account, name="Pending Pat", username="pat", is_enabled=False
    )
    await make_contact(session, account=account, name="Active Al", username="al")
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    token = await client.login("service", PASSWORD)

    both = await client.execute(CONTACTS, {"filter": {"search": "pat"}}, token=token)
    disabled = await client.execute(CONTACTS, {"filter": {"isEnabled": False}}, token=token)

    assert both["contacts"]["nodes"] == [
        {"name": "Pending Pat", "username": "pat", "isEnabled": False}
    ]
    assert [n["username"] for n in disabled["contacts"]["nodes"]] == ["pat"]


async def test_a_contact_never_sees_another_accounts_contacts(
    client: GraphQLClient, session: AsyncSession
) -> None:
    mine = await make_account(session)
    other = await make_account(session)
    await make_contact(session, account=mine, username="me", name="Me")
    stranger = await make_contact(session, account=other, username="them", name="Them")
    token = await client.login("me", PASSWORD)

    listed = await client.execute(CONTACTS, token=token)
    by_id = await client.execute(
        "query($id: ID!) { contact(id: $id) { name } }",
        {"id": gid("Contact", stranger.id)},
        token=token,
    )

    assert [n["name"] for n in listed["contacts"]["nodes"]] == ["Me"]
    assert by_id == {"contact": None}


async def test_a_contact_edits_itself_but_cannot_enable_or_disable_itself(
    client: GraphQLClient, session: AsyncSession
) -> None:
    account = await make_account(session)
    me = await make_contact(session, account=account, username="me", name="Me")
    token = await client.login("me", PASSWORD)

    edited = await client.execute(
        UPDATE, {"input": {"id": gid("Contact", me.id), "phone": "0400 000 000"}}, token=token
    )
    refused = await client.execute(
        UPDATE, {"input": {"id": gid("Contact", me.id), "isEnabled": False}}, token=token
    )

    assert edited["updateContact"] == {
        "contact": {"name": "Me", "phone": "0400 000 000", "isEnabled": True},
        "errors": [],
    }
    assert refused["updateContact"]["errors"] == [
        {
            "field": ["isEnabled"],
            "code": "NOT_PERMITTED",
            "message": "You may not enable or disable yourself",
        }
    ]


async def test_disabling_a_contact_ends_its_sessions(
    client: GraphQLClient, session: AsyncSession
) -> None:
    account = await make_account(session)
    target = await make_contact(session, account=account, username="leaver")
    await make_contact(session, account=account, username="boss", role=MembershipRole.ADMINISTRATOR)
    leaver = await client.login("leaver", PASSWORD)
    boss = await client.login("boss", PASSWORD)

    data = await client.execute(
        UPDATE, {"input": {"id": gid("Contact", target.id), "isEnabled": False}}, token=boss
    )

    assert data["updateContact"]["errors"] == []
    response = await client.raw("query { viewer { kind } }", token=leaver)
    assert response.status_code == 401
