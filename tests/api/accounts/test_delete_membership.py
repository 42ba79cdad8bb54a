"""deleteMembership: CM10 "Delete" removes a contact's access to an account, at once; a deletion
that would leave the account's approvals or the contact's default broken changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from domain.enums import CartStatus, MembershipRole
from models import AccountMembership
from tests.factories import (
    PASSWORD,
    make_account,
    make_cart,
    make_contact,
    make_membership,
)
from tests.graphql_client import GraphQLClient, gid

DELETE = """
mutation Delete($input: DeleteMembershipInput!) {
  deleteMembership(input: $input) {
    deletedMembershipId
    contact { name memberships { nodes { account { code } isDefault } } }
    errors { field code message }
  }
}
"""
VIEWER = "query { viewer { activeAccount { code } } }"


async def _memberships(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(AccountMembership)) or 0)


async def _membership(
    session: AsyncSession, contact_id: int | None, account_id: int | None
) -> AccountMembership:
    row = await session.scalar(
        select(AccountMembership).where(
            col(AccountMembership.contact_id) == contact_id,
            col(AccountMembership.account_id) == account_id,
        )
    )
    assert row is not None
    return row


async def test_an_administrator_removes_a_shopper_whose_session_there_ends_at_once(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a shopper of two accounts (ABC1234 not her default) signed in and acting for ABC1234
    abc = await make_account(session, code="ABC1234")
    other = await make_account(session, code="C1001")
    await make_contact(session, account=abc, username="alice", role=MembershipRole.ADMINISTRATOR)
    mary = await make_contact(session, account=other, username="mary", name="Mary")
    membership = await make_membership(session, contact=mary, account=abc)
    mary_token = await client.login("mary", PASSWORD)
    await client.execute(
        "mutation($i: SwitchAccountInput!) { switchAccount(input: $i) { errors { code } } }",
        {"i": {"accountId": gid("Account", abc.id)}},
        token=mary_token,
    )
    alice = await client.login("alice", PASSWORD)

    # when ABC1234's administrator deletes Mary's membership there
    data = await client.execute(
        DELETE, {"input": {"id": gid("AccountMembership", membership.id)}}, token=alice
    )
    viewer = await client.execute(VIEWER, token=mary_token)

    # then Mary is gone from ABC1234 (alice sees none of her other memberships), her session
    # no longer acts for it, and she keeps C1001
    assert data["deleteMembership"] == {
        "deletedMembershipId": gid("AccountMembership", membership.id),
        "contact": {"name": "Mary", "memberships": {"nodes": []}},
        "errors": [],
    }
    assert viewer["viewer"]["activeAccount"] is None
    assert (await _membership(session, mary.id, other.id)).is_default


async def test_deletions_that_would_break_approvals_or_defaults_change_nothing(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Joe, the approver of Mary, whose cart waits for him; Mary's default is ABC1234 and
    # she also belongs to C1001
    abc = await make_account(session, code="ABC1234")
    other = await make_account(session, code="C1001")
    alice = await make_contact(
        session, account=abc, username="alice", role=MembershipRole.ADMINISTRATOR
    )
    joe = await make_contact(session, account=abc, name="Joe", role=MembershipRole.APPROVER)
    mary = await make_contact(
        session, account=abc, name="Mary", membership={"cart_approver_id": joe.id}
    )
    await make_membership(session, contact=mary, account=other)
    await make_cart(session, account=abc, contact=mary, status=CartStatus.PENDING_APPROVAL)
    token = await client.login("alice", PASSWORD)
    before = await _memberships(session)

    async def delete(contact_id: int | None) -> list[dict[str, object]]:
        membership = await _membership(session, contact_id, abc.id)
        data = await client.execute(
            DELETE, {"input": {"id": gid("AccountMembership", membership.id)}}, token=token
        )
        errors: list[dict[str, object]] = data["deleteMembership"]["errors"]
        return errors

    # when alice tries to remove Joe, Mary, herself, and an unknown membership
    joe_errors = await delete(joe.id)
    mary_errors = await delete(mary.id)
    own_errors = await delete(alice.id)
    unknown = await client.execute(
        DELETE, {"input": {"id": gid("AccountMembership", 9999)}}, token=token
    )

    # then each is refused with its reason and every membership is still there
    assert joe_errors == [
        {
            "field": ["id"],
            "code": "INVALID",
            "message": "The contact is the cart approver of 1 shopper(s) of this account; "
            "give them another approver first",
        }
    ]
    assert mary_errors == [
        {
            "field": ["id"],
            "code": "INVALID",
            "message": "This is the contact's default account: make another membership the "
            "default first",
        }
    ]
    assert own_errors == [
        {
            "field": ["id"],
            "code": "NOT_PERMITTED",
            "message": "You cannot remove your own access to an account; ask another administrator",
        }
    ]
    assert unknown["deleteMembership"]["errors"] == [
        {"field": ["id"], "code": "NOT_FOUND", "message": "No such membership"}
    ]
    assert await _memberships(session) == before


async def test_a_shopper_with_a_cart_waiting_for_approval_keeps_the_membership(
    client: GraphQLClient, session: AsyncSession
) -> None:
    abc = await make_account(session, code="ABC1234")
    await make_contact(session, account=abc, username="alice", role=MembershipRole.ADMINISTRATOR)
    frank = await make_contact(session, account=abc, name="Frank")
    await make_cart(session, account=abc, contact=frank, status=CartStatus.PENDING_APPROVAL)
    membership = await _membership(session, frank.id, abc.id)
    token = await client.login("alice", PASSWORD)

    data = await client.execute(
        DELETE, {"input": {"id": gid("AccountMembership", membership.id)}}, token=token
    )

    assert data["deleteMembership"]["errors"] == [
        {
            "field": ["id"],
            "code": "INVALID",
            "message": "The contact has 1 cart(s) waiting for approval at this account; "
            "have them approved or rejected first",
        }
    ]


async def test_only_those_who_manage_the_account_delete_its_memberships(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a shopper of ABC1234 and a contact of another account
    abc = await make_account(session, code="ABC1234")
    other = await make_account(session, code="C1001")
    kathy = await make_contact(session, account=abc, username="kathy")
    bill = await make_contact(session, account=abc, name="Bill")
    await make_contact(session, account=other, username="outsider")
    membership = await _membership(session, bill.id, abc.id)

    # when a fellow shopper and an outsider try to remove Bill
    results = [
        await client.execute(
            DELETE,
            {"input": {"id": gid("AccountMembership", membership.id)}},
            token=await client.login(username, PASSWORD),
        )
        for username in ("kathy", "outsider")
    ]

    # then neither may, and Bill keeps ABC1234
    assert [r["deleteMembership"]["errors"][0]["code"] for r in results] == [
        "NOT_PERMITTED",
        "NOT_FOUND",
    ]
    assert kathy.id is not None
    assert await _memberships(session) == 3
