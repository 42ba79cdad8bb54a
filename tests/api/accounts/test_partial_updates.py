"""An update writes only the fields its input sends (domain.changes): a field left out keeps its
stored value, an explicit null clears it."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import WorkerRole
from models import AccountMembership, Address
from tests.factories import (
    PASSWORD,
    make_account,
    make_address,
    make_contact,
    make_membership,
    make_worker,
)
from tests.graphql_client import GraphQLClient, gid

UPDATE_ACCOUNT = """
mutation Update($input: UpdateAccountInput!) {
  updateAccount(input: $input) { account { code } errors { field code message } }
}
"""

UPDATE_ADDRESS = """
mutation Update($input: UpdateAddressInput!) {
  updateAddress(input: $input) { address { line1 } errors { field code message } }
}
"""

UPDATE_MEMBERSHIP = """
mutation Update($input: UpdateMembershipInput!) {
  updateMembership(input: $input) { membership { id } errors { field code message } }
}
"""


async def _staff_token(client: GraphQLClient, session: AsyncSession) -> str:
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    return await client.login("service", PASSWORD)


async def test_an_account_update_writes_the_fields_sent_and_nothing_else(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given
    token = await _staff_token(client, session)
    account = await make_account(
        session, tax_number="ABN 51 824 753 556", contact_name="Accounts", balance=Decimal("42")
    )

    # when
    data = await client.execute(
        UPDATE_ACCOUNT,
        {"input": {"id": gid("Account", account.id), "email": "ap@example.com", "taxNumber": None}},
        token=token,
    )

    # then
    assert data["updateAccount"] == {"account": {"code": account.code}, "errors": []}
    await session.refresh(account)
    assert (account.email, account.tax_number) == ("ap@example.com", None)
    assert (account.contact_name, account.balance, account.price_level) == (
        "Accounts",
        Decimal("42"),
        "A",
    )


async def test_an_address_update_leaves_the_lines_it_does_not_send(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given
    token = await _staff_token(client, session)
    account = await make_account(session)
    address = await make_address(session, account=account, line2="Gate B", region="WA")

    # when
    data = await client.execute(
        UPDATE_ADDRESS,
        {"input": {"id": gid("Address", address.id), "line1": "9 Dock Road", "region": None}},
        token=token,
    )

    # then
    assert data["updateAddress"] == {"address": {"line1": "9 Dock Road"}, "errors": []}
    stored = await session.get(Address, address.id, populate_existing=True)
    assert stored is not None
    assert (stored.line1, stored.line2, stored.region) == ("9 Dock Road", "Gate B", None)


async def test_a_membership_update_keeps_the_approval_settings_it_does_not_send(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given
    token = await _staff_token(client, session)
    account = await make_account(session)
    contact = await make_contact(session)
    membership = await make_membership(
        session,
        contact=contact,
        account=account,
        no_approval_below_value=Decimal("100.00"),
        maximum_approval_value=Decimal("5000.00"),
    )

    # when
    data = await client.execute(
        UPDATE_MEMBERSHIP,
        {
            "input": {
                "id": gid("AccountMembership", membership.id),
                "maximumApprovalValue": "6000.00",
            }
        },
        token=token,
    )

    # then
    assert data["updateMembership"]["errors"] == []
    stored = await session.get(AccountMembership, membership.id, populate_existing=True)
    assert stored is not None
    assert (stored.no_approval_below_value, stored.maximum_approval_value) == (
        Decimal("100.00"),
        Decimal("6000.00"),
    )
