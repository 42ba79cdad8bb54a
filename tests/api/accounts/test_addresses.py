"""createAddress, updateAddress, deleteAddress: at most one primary address per account."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import MembershipRole
from models import Account, Address
from tests.factories import PASSWORD, make_account, make_address, make_contact
from tests.graphql_client import GraphQLClient, gid

CREATE = """
mutation Create($input: CreateAddressInput!) {
  createAddress(input: $input) {
    address { kind name city postcode country isPrimary source }
    errors { field code message }
  }
}
"""

UPDATE = """
mutation Update($input: UpdateAddressInput!) {
  updateAddress(input: $input) { address { line1 isPrimary } errors { field code message } }
}
"""

DELETE = """
mutation Delete($input: DeleteAddressInput!) {
  deleteAddress(input: $input) { deletedAddressId errors { field code message } }
}
"""

NEW_ADDRESS = {
    "name": "Warehouse",
    "line1": "9 Dock Road",
    "city": "Fremantle",
    "postcode": "6160",
    "country": "au",
    "kind": "SHIPPING",
}


async def _administrator(client: GraphQLClient, session: AsyncSession) -> tuple[str, int]:
    account = await make_account(session)
    await make_contact(session, account=account, username="boss", role=MembershipRole.ADMINISTRATOR)
    assert account.id is not None
    return await client.login("boss", PASSWORD), account.id


async def _account(session: AsyncSession, account_id: int) -> Account:
    account = await session.get(Account, account_id)
    assert account is not None
    return account


async def test_an_administrator_adds_a_shipping_address(
    client: GraphQLClient, session: AsyncSession
) -> None:
    token, account_id = await _administrator(client, session)

    data = await client.execute(
        CREATE, {"input": {"accountId": gid("Account", account_id), **NEW_ADDRESS}}, token=token
    )

    assert data["createAddress"] == {
        "address": {
            "kind": "SHIPPING",
            "name": "Warehouse",
            "city": "Fremantle",
            "postcode": "6160",
            "country": "AU",
            "isPrimary": False,
            "source": "WEB",
        },
        "errors": [],
    }


async def test_a_second_primary_address_is_refused_and_nothing_is_written(
    client: GraphQLClient, session: AsyncSession
) -> None:
    token, account_id = await _administrator(client, session)
    account = await make_account(session)  # an unrelated account, to compare counts
    await make_address(session, account=account)
    primary = await make_address(
        session, account=await _account(session, account_id), is_primary=True
    )
    other = await make_address(session, account=await _account(session, account_id))
    count = select(func.count()).select_from(Address)
    before = await session.scalar(count)

    created = await client.execute(
        CREATE,
        {"input": {"accountId": gid("Account", account_id), **NEW_ADDRESS, "isPrimary": True}},
        token=token,
    )
    updated = await client.execute(
        UPDATE, {"input": {"id": gid("Address", other.id), "isPrimary": True}}, token=token
    )

    expected = [
        {
            "field": ["isPrimary"],
            "code": "INVALID",
            "message": "The account already has a primary address; unset it first",
        }
    ]
    assert created["createAddress"] == {"address": None, "errors": expected}
    assert updated["updateAddress"] == {"address": None, "errors": expected}
    assert await session.scalar(count) == before
    assert primary.is_primary


async def test_required_fields_and_country_codes_are_checked(
    client: GraphQLClient, session: AsyncSession
) -> None:
    token, account_id = await _administrator(client, session)

    data = await client.execute(
        CREATE,
        {
            "input": {
                "accountId": gid("Account", account_id),
                **NEW_ADDRESS,
                "line1": "  ",
                "country": "Australia",
            }
        },
        token=token,
    )

    assert data["createAddress"]["errors"] == [
        {"field": ["line1"], "code": "REQUIRED", "message": "line1 is required"},
        {
            "field": ["country"],
            "code": "INVALID",
            "message": "country must be an ISO 3166-1 alpha-2 code such as AU",
        },
    ]


async def test_addresses_of_other_accounts_cannot_be_touched(
    client: GraphQLClient, session: AsyncSession
) -> None:
    token, _ = await _administrator(client, session)
    stranger = await make_account(session)
    theirs = await make_address(session, account=stranger)

    updated = await client.execute(
        UPDATE, {"input": {"id": gid("Address", theirs.id), "line1": "Mine now"}}, token=token
    )
    deleted = await client.execute(
        DELETE, {"input": {"id": gid("Address", theirs.id)}}, token=token
    )

    not_found = [{"field": ["id"], "code": "NOT_FOUND", "message": "No such address"}]
    assert updated["updateAddress"]["errors"] == not_found
    assert deleted["deleteAddress"] == {"deletedAddressId": None, "errors": not_found}


async def test_an_address_is_updated_and_deleted(
    client: GraphQLClient, session: AsyncSession
) -> None:
    token, account_id = await _administrator(client, session)
    address = await make_address(session, account=await _account(session, account_id))
    address_id = gid("Address", address.id)

    updated = await client.execute(
        UPDATE, {"input": {"id": address_id, "line1": "2 New Street"}}, token=token
    )
    deleted = await client.execute(DELETE, {"input": {"id": address_id}}, token=token)
    again = await client.execute(DELETE, {"input": {"id": address_id}}, token=token)

    assert updated["updateAddress"] == {
        "address": {"line1": "2 New Street", "isPrimary": False},
        "errors": [],
    }
    assert deleted["deleteAddress"] == {"deletedAddressId": address_id, "errors": []}
    assert again["deleteAddress"]["errors"] == [
        {"field": ["id"], "code": "NOT_FOUND", "message": "No such address"}
    ]
