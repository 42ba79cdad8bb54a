"""createMembership and updateMembership: PointForce CM10's rules."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from domain.enums import MembershipRole, WorkerRole
from models import AccountMembership
from tests.factories import PASSWORD, make_account, make_contact, make_worker
from tests.graphql_client import GraphQLClient, gid

CREATE = """
mutation Create($input: CreateMembershipInput!) {
  createMembership(input: $input) {
    membership { role isDefault account { code } contact { name } }
    errors { field code message }
  }
}
"""

UPDATE = """
mutation Update($input: UpdateMembershipInput!) {
  updateMembership(input: $input) {
    membership {
      isDefault approveAll noApprovalBelowValue maximumApprovalValue cartApprover { name }
    }
    errors { field code message }
  }
}
"""


async def _staff(client: GraphQLClient, session: AsyncSession) -> str:
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    return await client.login("admin", PASSWORD)


async def _membership_of(session: AsyncSession, contact_id: int | None) -> AccountMembership:
    membership = await session.scalar(
        select(AccountMembership).where(col(AccountMembership.contact_id) == contact_id)
    )
    assert membership is not None
    return membership


async def test_a_contact_joins_a_second_account_and_can_switch_its_default(
    client: GraphQLClient, session: AsyncSession
) -> None:
    first = await make_account(session, code="FIRST")
    second = await make_account(session, code="SECOND")
    mary = await make_contact(session, account=first, name="Mary")
    token = await _staff(client, session)

    joined = await client.execute(
        CREATE,
        {
            "input": {
                "contactId": gid("Contact", mary.id),
                "accountId": gid("Account", second.id),
                "role": "APPROVER",
            }
        },
        token=token,
    )
    second_id = await session.scalar(
        select(col(AccountMembership.id)).where(col(AccountMembership.account_id) == second.id)
    )
    made_default = await client.execute(
        UPDATE,
        {"input": {"id": gid("AccountMembership", second_id), "isDefault": True}},
        token=token,
    )
    mary_id = mary.id
    await session.rollback()  # end the test's read snapshot, to see the API's writes
    first_membership = await _membership_of(session, mary_id)

    assert joined["createMembership"] == {
        "membership": {
            "role": "APPROVER",
            "isDefault": False,
            "account": {"code": "SECOND"},
            "contact": {"name": "Mary"},
        },
        "errors": [],
    }
    assert made_default["updateMembership"]["membership"]["isDefault"] is True
    assert first_membership.is_default is False


async def test_the_only_default_cannot_be_unset(
    client: GraphQLClient, session: AsyncSession
) -> None:
    account = await make_account(session)
    contact = await make_contact(session, account=account)
    membership = await _membership_of(session, contact.id)
    token = await _staff(client, session)

    data = await client.execute(
        UPDATE,
        {"input": {"id": gid("AccountMembership", membership.id), "isDefault": False}},
        token=token,
    )

    assert data["updateMembership"]["errors"] == [
        {
            "field": ["isDefault"],
            "code": "INVALID",
            "message": "Every contact has one default account: "
            "make another membership the default instead",
        }
    ]


async def test_a_cart_approver_from_another_account_and_a_negative_limit_are_refused(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a shopper at one account and a would-be approver at another
    account = await make_account(session)
    elsewhere = await make_account(session)
    shopper = await make_contact(session, account=account)
    outsider = await make_contact(session, account=elsewhere, name="Outsider")
    membership = await _membership_of(session, shopper.id)
    token = await _staff(client, session)

    # when both are set at once
    data = await client.execute(
        UPDATE,
        {
            "input": {
                "id": gid("AccountMembership", membership.id),
                "cartApproverId": gid("Contact", outsider.id),
                "maximumApprovalValue": "-1.00",
                "noApprovalBelowValue": "1000000.00",
            }
        },
        token=token,
    )

    # then each is refused and nothing changes
    assert data["updateMembership"] == {
        "membership": None,
        "errors": [
            {
                "field": ["cartApproverId"],
                "code": "INVALID",
                "message": "The cart approver must be an active contact of the same account",
            },
            {
                "field": ["noApprovalBelowValue"],
                "code": "LIMIT_EXCEEDED",
                "message": "noApprovalBelowValue must be at most 999999.99",
            },
            {
                "field": ["maximumApprovalValue"],
                "code": "INVALID",
                "message": "maximumApprovalValue must be at least 0",
            },
        ],
    }
    await session.refresh(membership)
    assert membership.cart_approver_id is None
    assert membership.maximum_approval_value is None


async def test_an_approver_from_the_same_account_is_accepted(
    client: GraphQLClient, session: AsyncSession
) -> None:
    account = await make_account(session)
    shopper = await make_contact(session, account=account)
    joe = await make_contact(session, account=account, name="Joe Smith")
    membership = await _membership_of(session, shopper.id)
    await make_contact(session, account=account, username="boss", role=MembershipRole.ADMINISTRATOR)
    token = await client.login("boss", PASSWORD)

    data = await client.execute(
        UPDATE,
        {
            "input": {
                "id": gid("AccountMembership", membership.id),
                "cartApproverId": gid("Contact", joe.id),
                "noApprovalBelowValue": "100",
                "maximumApprovalValue": "5000.00",
            }
        },
        token=token,
    )

    assert data["updateMembership"] == {
        "membership": {
            "isDefault": True,
            "approveAll": False,
            "noApprovalBelowValue": "100.00",
            "maximumApprovalValue": "5000.00",
            "cartApprover": {"name": "Joe Smith"},
        },
        "errors": [],
    }


async def test_an_approver_has_no_cart_approver_of_its_own(
    client: GraphQLClient, session: AsyncSession
) -> None:
    account = await make_account(session)
    jane = await make_contact(session, account=account, name="Jane")
    joe = await make_contact(session, account=account, name="Joe")
    membership = await _membership_of(session, jane.id)
    token = await _staff(client, session)

    data = await client.execute(
        UPDATE,
        {
            "input": {
                "id": gid("AccountMembership", membership.id),
                "approveAll": True,
                "cartApproverId": gid("Contact", joe.id),
            }
        },
        token=token,
    )

    assert data["updateMembership"]["errors"] == [
        {
            "field": ["cartApproverId"],
            "code": "INVALID",
            "message": "An approver (approve assigned or approve all) has no cart approver",
        }
    ]


async def test_a_contact_joins_an_account_only_once(
    client: GraphQLClient, session: AsyncSession
) -> None:
    account = await make_account(session)
    contact = await make_contact(session, account=account)
    token = await _staff(client, session)
    count = select(func.count()).select_from(AccountMembership)
    before = await session.scalar(count)

    data = await client.execute(
        CREATE,
        {
            "input": {
                "contactId": gid("Contact", contact.id),
                "accountId": gid("Account", account.id),
            }
        },
        token=token,
    )

    assert data["createMembership"]["errors"] == [
        {
            "field": ["accountId"],
            "code": "DUPLICATE",
            "message": "The contact is already a member of this account",
        }
    ]
    assert await session.scalar(count) == before
