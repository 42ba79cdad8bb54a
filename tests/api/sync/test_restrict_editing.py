"""Seed 000: with account editing restricted to the ERP, web edits of ERP-owned fields of ERP
records are NOT_PERMITTED, for staff too."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import RecordSource, WorkerRole
from tests.factories import PASSWORD, make_account, make_address, make_worker
from tests.graphql_client import GraphQLClient, gid

RESTRICT = """
mutation($input: UpdateErpSettingsInput!) {
  updateErpSettings(input: $input) { settings { restrictAccountEditingToErp } errors { code } }
}
"""
UPDATE_ACCOUNT = """
mutation($input: UpdateAccountInput!) {
  updateAccount(input: $input) { account { email } errors { field code message } }
}
"""
UPDATE_ADDRESS = """
mutation($input: UpdateAddressInput!) {
  updateAddress(input: $input) { address { line1 } errors { field code message } }
}
"""
DELETE_ADDRESS = """
mutation($input: DeleteAddressInput!) {
  deleteAddress(input: $input) { deletedAddressId errors { field code message } }
}
"""


async def test_erp_records_are_kept_by_the_erp_once_editing_is_restricted(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an ERP account and address, a web account, and editing restricted to the ERP
    erp = await make_account(session, code="E1", source=RecordSource.ERP)
    web = await make_account(session, code="W1", source=RecordSource.WEB)
    address = await make_address(session, account=erp, source=RecordSource.ERP)
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    token = await client.login("admin", PASSWORD)
    before = await client.execute(
        UPDATE_ACCOUNT,
        {"input": {"id": gid("Account", erp.id), "email": "a@e1.example"}},
        token=token,
    )
    restricted = await client.execute(
        RESTRICT, {"input": {"restrictAccountEditingToErp": True}}, token=token
    )

    # when
    account_edit = await client.execute(
        UPDATE_ACCOUNT,
        {"input": {"id": gid("Account", erp.id), "email": "b@e1.example", "paymentTermsValue": 7}},
        token=token,
    )
    web_edit = await client.execute(
        UPDATE_ACCOUNT,
        {"input": {"id": gid("Account", web.id), "email": "b@w1.example"}},
        token=token,
    )
    address_edit = await client.execute(
        UPDATE_ADDRESS,
        {"input": {"id": gid("Address", address.id), "line1": "2 New St"}},
        token=token,
    )
    address_delete = await client.execute(
        DELETE_ADDRESS, {"input": {"id": gid("Address", address.id)}}, token=token
    )

    # then
    assert before["updateAccount"]["errors"] == []
    assert restricted["updateErpSettings"] == {
        "settings": {"restrictAccountEditingToErp": True},
        "errors": [],
    }
    assert account_edit["updateAccount"] == {
        "account": None,
        "errors": [
            {
                "field": ["email"],
                "code": "NOT_PERMITTED",
                "message": "email is kept by the ERP and can only be changed there",
            },
            {
                "field": ["paymentTermsValue"],
                "code": "NOT_PERMITTED",
                "message": "paymentTermsValue is kept by the ERP and can only be changed there",
            },
        ],
    }
    assert web_edit["updateAccount"] == {"account": {"email": "b@w1.example"}, "errors": []}
    assert address_edit["updateAddress"]["errors"] == [
        {
            "field": ["line1"],
            "code": "NOT_PERMITTED",
            "message": "line1 is kept by the ERP and can only be changed there",
        }
    ]
    assert address_delete["deleteAddress"] == {
        "deletedAddressId": None,
        "errors": [
            {
                "field": ["id"],
                "code": "NOT_PERMITTED",
                "message": "This record is kept by the ERP and can only be removed there",
            }
        ],
    }
