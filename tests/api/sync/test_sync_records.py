"""syncAddresses, syncContacts, syncInvoices and syncEnquiryRecords: child records name their
account by ERP key."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from domain.enums import ApiKeyScope, MembershipRole, PaymentTermsKind
from models import AccountMembership, Address
from tests.factories import make_account, make_address, make_api_key
from tests.graphql_client import GraphQLClient

ADDRESSES = """
mutation($input: SyncAddressesInput!) {
  syncAddresses(input: $input) {
    results { outcome address { line1 isPrimary source } errors { field code message } }
  }
}
"""
ATOMIC_ADDRESSES = """
mutation($input: SyncAddressesInput!) {
  syncAddresses(input: $input) {
    counts { created updated unchanged deleted failed }
    results { outcome }
    errors { field code message }
  }
}
"""
CONTACTS = """
mutation($input: SyncContactsInput!) {
  syncContacts(input: $input) {
    results { outcome contact { name memberships { nodes { role isDefault account { code } } } } }
  }
}
"""
INVOICES = """
mutation($input: SyncInvoicesInput!) {
  syncInvoices(input: $input) {
    results { outcome invoice { number dueDate balance } errors { field code message } }
  }
}
"""
ENQUIRY = """
mutation($input: SyncEnquiryRecordsInput!) {
  syncEnquiryRecords(input: $input) {
    counts { created }
    results { enquiryRecord { kind number status outstanding } }
  }
}
"""


async def sync_key(session: AsyncSession, settings: Settings) -> str:
    return await make_api_key(session, scopes=[ApiKeyScope.SYNC], secret_key=settings.secret_key)


async def test_an_erp_primary_address_takes_over_from_the_current_one(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    # given an account whose web address is primary
    account = await make_account(session, code="A1", erp_key="E1")
    web = await make_address(session, account=account, is_primary=True)
    token = await sync_key(session, settings)
    address = {
        "erpKey": "AD1",
        "accountErpKey": "E1",
        "name": "Alpha",
        "line1": "9 Quay St",
        "city": "Sydney",
        "postcode": "2000",
        "isPrimary": True,
    }

    # when
    data = await client.execute(
        ADDRESSES,
        {"input": {"records": [address, {**address, "erpKey": "AD2", "accountErpKey": "NOPE"}]}},
        token=token,
    )

    # then
    assert data["syncAddresses"]["results"] == [
        {
            "outcome": "CREATED",
            "address": {"line1": "9 Quay St", "isPrimary": True, "source": "ERP"},
            "errors": [],
        },
        {
            "outcome": "FAILED",
            "address": None,
            "errors": [
                {
                    "field": ["records", "1", "accountErpKey"],
                    "code": "NOT_FOUND",
                    "message": "No account with that ERP key",
                }
            ],
        },
    ]
    await session.refresh(web)
    assert web.is_primary is False
    assert len((await session.scalars(select(Address))).all()) == 2


async def test_a_synced_contact_becomes_a_member_of_its_account(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    await make_account(session, code="A1", erp_key="E1")
    token = await sync_key(session, settings)
    contact = {"erpKey": "C1", "accountErpKey": "E1", "name": "Pat Lee", "role": "APPROVER"}

    first = await client.execute(CONTACTS, {"input": {"records": [contact]}}, token=token)
    again = await client.execute(CONTACTS, {"input": {"records": [contact]}}, token=token)

    assert first["syncContacts"]["results"] == [
        {
            "outcome": "CREATED",
            "contact": {
                "name": "Pat Lee",
                "memberships": {
                    "nodes": [{"role": "APPROVER", "isDefault": True, "account": {"code": "A1"}}]
                },
            },
        }
    ]
    assert again["syncContacts"]["results"][0]["outcome"] == "UNCHANGED"
    memberships = (await session.scalars(select(AccountMembership))).all()
    assert [m.role for m in memberships] == [MembershipRole.APPROVER]


async def test_an_invoice_without_a_due_date_falls_due_by_the_accounts_terms(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    await make_account(
        session,
        code="A1",
        erp_key="E1",
        payment_terms_kind=PaymentTermsKind.DAYS_AFTER_END_OF_MONTH,
        payment_terms_value=30,
    )
    token = await sync_key(session, settings)
    invoice = {
        "erpKey": "I1",
        "accountErpKey": "E1",
        "number": "INV-1",
        "invoiceDate": "2026-01-15",
        "amount": "110.00",
        "balance": "110.00",
    }

    data = await client.execute(
        INVOICES,
        {"input": {"records": [invoice, {**invoice, "erpKey": "I2", "amount": "1.001"}]}},
        token=token,
    )

    assert data["syncInvoices"]["results"] == [
        {
            "outcome": "CREATED",
            "invoice": {"number": "INV-1", "dueDate": "2026-03-02", "balance": "110.00"},
            "errors": [],
        },
        {
            "outcome": "FAILED",
            "invoice": None,
            "errors": [
                {
                    "field": ["records", "1", "amount"],
                    "code": "INVALID",
                    "message": "amount must have at most two decimal places",
                }
            ],
        },
    ]


async def test_enquiry_records_are_upserted(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    await make_account(session, code="A1", erp_key="E1")
    token = await sync_key(session, settings)
    record = {
        "erpKey": "SO-1",
        "accountErpKey": "E1",
        "kind": "BACK_ORDER",
        "number": "SO1",
        "documentDate": "2026-11-01",
        "amount": "50.00",
        "outstanding": "20.00",
    }

    data = await client.execute(ENQUIRY, {"input": {"records": [record]}}, token=token)

    assert data["syncEnquiryRecords"] == {
        "counts": {"created": 1},
        "results": [
            {
                "enquiryRecord": {
                    "kind": "BACK_ORDER",
                    "number": "SO1",
                    "status": "OPEN",
                    "outstanding": "20.00",
                }
            }
        ],
    }


async def test_an_atomic_address_batch_with_a_bad_record_keeps_the_current_primary(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    # given an account whose web address is primary
    account = await make_account(session, code="A1", erp_key="E1")
    web = await make_address(session, account=account, is_primary=True)
    token = await sync_key(session, settings)
    address = {
        "erpKey": "AD1",
        "accountErpKey": "E1",
        "name": "Alpha",
        "line1": "9 Quay St",
        "city": "Sydney",
        "postcode": "2000",
        "isPrimary": True,
    }
    second_primary = {**address, "erpKey": "AD2"}

    # when
    data = await client.execute(
        ATOMIC_ADDRESSES,
        {"input": {"atomic": True, "records": [address, second_primary]}},
        token=token,
    )

    # then
    assert data["syncAddresses"] == {
        "counts": None,
        "results": [],
        "errors": [
            {
                "field": ["records", "1", "isPrimary"],
                "code": "INVALID",
                "message": "Another record of the batch is the account's primary address",
            }
        ],
    }
    await session.refresh(web)
    assert web.is_primary is True
    assert len((await session.scalars(select(Address))).all()) == 1
