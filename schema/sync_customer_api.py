"""The ERP sync of the customer side: API keys with the `sync` scope upsert accounts,
addresses, contacts, invoices and enquiry records keyed by ERP key (up to 1,000 a call)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, TypeVar

import strawberry

from resolvers import customer_sync, erp_settings
from schema.customer_types import Account, Address, Contact
from schema.enquiry_types import EnquiryRecord, Invoice
from schema.info import Info
from schema.input_values import set_values
from schema.payloads import Payload, mutation
from schema.permissions import require_admin
from schema.sync_customer_inputs import (
    SyncAccountsInput,
    SyncAddressesInput,
    SyncContactsInput,
    SyncEnquiryRecordsInput,
    SyncInvoicesInput,
    UpdateErpSettingsInput,
)
from schema.sync_customer_types import (
    AccountSyncResult,
    AddressSyncResult,
    ContactSyncResult,
    EnquiryRecordSyncResult,
    ErpSettings,
    InvoiceSyncResult,
    SyncAccountsPayload,
    SyncAddressesPayload,
    SyncContactsPayload,
    SyncEnquiryRecordsPayload,
    SyncInvoicesPayload,
)
from schema.sync_types import SyncPayload, run_sync, to_result

P = TypeVar("P", bound=SyncPayload)


def raw_records(records: Sequence[Any]) -> list[dict[str, Any]]:
    """Input objects as the plain records `resolvers.customer_sync` takes (nested inputs too)."""
    return [
        {
            name: set_values(value) if dataclasses.is_dataclass(value) else value
            for name, value in set_values(record).items()
        }
        for record in records
    ]


async def sync_customer_records(
    info: Info, payload: type[P], kind: customer_sync.RecordKind, input: Any, result: Any
) -> P:
    """One customer feed's mutation: the input's records through the bulk sync engine."""
    return await run_sync(
        info,
        payload,
        lambda: customer_sync.sync_records(
            info.context, kind, raw_records(input.records), atomic=input.atomic
        ),
        result,
    )


@strawberry.type
class UpdateErpSettingsPayload(Payload):
    settings: ErpSettings | None = None


@strawberry.type
class SyncCustomerMutation:
    @strawberry.mutation(description="Upsert accounts by ERP key (`sync` scope).")
    async def sync_accounts(self, info: Info, input: SyncAccountsInput) -> SyncAccountsPayload:
        return await sync_customer_records(
            info,
            SyncAccountsPayload,
            customer_sync.ACCOUNTS,
            input,
            to_result(AccountSyncResult, account=Account.from_row),
        )

    @strawberry.mutation(description="Upsert addresses by ERP key (`sync` scope).")
    async def sync_addresses(self, info: Info, input: SyncAddressesInput) -> SyncAddressesPayload:
        return await sync_customer_records(
            info,
            SyncAddressesPayload,
            customer_sync.ADDRESSES,
            input,
            to_result(AddressSyncResult, address=Address.from_row),
        )

    @strawberry.mutation(description="Upsert contacts and their memberships (`sync` scope).")
    async def sync_contacts(self, info: Info, input: SyncContactsInput) -> SyncContactsPayload:
        return await sync_customer_records(
            info,
            SyncContactsPayload,
            customer_sync.CONTACTS,
            input,
            to_result(ContactSyncResult, contact=Contact.from_row),
        )

    @strawberry.mutation(description="Upsert invoices by ERP key (`sync` scope).")
    async def sync_invoices(self, info: Info, input: SyncInvoicesInput) -> SyncInvoicesPayload:
        return await sync_customer_records(
            info,
            SyncInvoicesPayload,
            customer_sync.INVOICES,
            input,
            to_result(InvoiceSyncResult, invoice=Invoice.from_row),
        )

    @strawberry.mutation(
        description="Upsert transactions, sales orders, back orders, payments and credits "
        "(`sync` scope)."
    )
    async def sync_enquiry_records(
        self, info: Info, input: SyncEnquiryRecordsInput
    ) -> SyncEnquiryRecordsPayload:
        return await sync_customer_records(
            info,
            SyncEnquiryRecordsPayload,
            customer_sync.ENQUIRY_RECORDS,
            input,
            to_result(EnquiryRecordSyncResult, enquiry_record=EnquiryRecord.from_row),
        )

    @mutation(
        UpdateErpSettingsPayload,
        gate=require_admin,
        description="Settings section 'erp' (ADMIN workers).",
    )
    async def update_erp_settings(
        self, info: Info, input: UpdateErpSettingsInput
    ) -> dict[str, object]:
        settings = await erp_settings.update_erp_settings(info.context, set_values(input))
        return {"settings": ErpSettings(**settings.model_dump())}
