"""The ERP sync of the customer side: API keys with the `sync` scope upsert accounts,
addresses, contacts, invoices and enquiry records keyed by ERP key (up to 1,000 a call)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import strawberry

from domain.enums import ApiKeyScope
from resolvers import customer_sync, erp_settings
from schema.customer_types import Account, Address, Contact, Info
from schema.enquiry_types import EnquiryRecord, Invoice
from schema.input_values import set_values
from schema.payloads import Payload, run_mutation
from schema.permissions import require_admin, require_scope
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
    CustomerSyncCounts,
    EnquiryRecordSyncResult,
    ErpSettings,
    InvoiceSyncResult,
    SyncAccountsPayload,
    SyncAddressesPayload,
    SyncContactsPayload,
    SyncEnquiryRecordsPayload,
    SyncInvoicesPayload,
    to_results,
)


def raw_records(records: Sequence[Any]) -> list[dict[str, Any]]:
    """Input objects as the plain records `resolvers.sync` takes (nested inputs too)."""
    return [
        {
            name: set_values(value) if dataclasses.is_dataclass(value) else value
            for name, value in set_values(record).items()
        }
        for record in records
    ]


@strawberry.type
class UpdateErpSettingsPayload(Payload):
    settings: ErpSettings | None = None


@strawberry.type
class SyncCustomerMutation:
    @strawberry.mutation(description="Upsert accounts by ERP key (`sync` scope).")
    async def sync_accounts(self, info: Info, input: SyncAccountsInput) -> SyncAccountsPayload:
        require_scope(info.context.viewer, ApiKeyScope.SYNC)

        async def action() -> dict[str, object]:
            results = await customer_sync.sync_records(
                info.context, customer_sync.ACCOUNTS, raw_records(input.records)
            )
            return {
                "results": to_results(results, AccountSyncResult, "account", Account.from_row),
                "counts": CustomerSyncCounts.of(results),
            }

        return await run_mutation(info.context, SyncAccountsPayload, action)

    @strawberry.mutation(description="Upsert addresses by ERP key (`sync` scope).")
    async def sync_addresses(self, info: Info, input: SyncAddressesInput) -> SyncAddressesPayload:
        require_scope(info.context.viewer, ApiKeyScope.SYNC)

        async def action() -> dict[str, object]:
            results = await customer_sync.sync_records(
                info.context, customer_sync.ADDRESSES, raw_records(input.records)
            )
            return {
                "results": to_results(results, AddressSyncResult, "address", Address.from_row),
                "counts": CustomerSyncCounts.of(results),
            }

        return await run_mutation(info.context, SyncAddressesPayload, action)

    @strawberry.mutation(description="Upsert contacts and their memberships (`sync` scope).")
    async def sync_contacts(self, info: Info, input: SyncContactsInput) -> SyncContactsPayload:
        require_scope(info.context.viewer, ApiKeyScope.SYNC)

        async def action() -> dict[str, object]:
            results = await customer_sync.sync_records(
                info.context, customer_sync.CONTACTS, raw_records(input.records)
            )
            return {
                "results": to_results(results, ContactSyncResult, "contact", Contact.from_row),
                "counts": CustomerSyncCounts.of(results),
            }

        return await run_mutation(info.context, SyncContactsPayload, action)

    @strawberry.mutation(description="Upsert invoices by ERP key (`sync` scope).")
    async def sync_invoices(self, info: Info, input: SyncInvoicesInput) -> SyncInvoicesPayload:
        require_scope(info.context.viewer, ApiKeyScope.SYNC)

        async def action() -> dict[str, object]:
            results = await customer_sync.sync_records(
                info.context, customer_sync.INVOICES, raw_records(input.records)
            )
            return {
                "results": to_results(results, InvoiceSyncResult, "invoice", Invoice.from_row),
                "counts": CustomerSyncCounts.of(results),
            }

        return await run_mutation(info.context, SyncInvoicesPayload, action)

    @strawberry.mutation(
        description="Upsert transactions, sales orders, back orders, payments and credits "
        "(`sync` scope)."
    )
    async def sync_enquiry_records(
        self, info: Info, input: SyncEnquiryRecordsInput
    ) -> SyncEnquiryRecordsPayload:
        require_scope(info.context.viewer, ApiKeyScope.SYNC)

        async def action() -> dict[str, object]:
            results = await customer_sync.sync_records(
                info.context, customer_sync.ENQUIRY_RECORDS, raw_records(input.records)
            )
            return {
                "results": to_results(
                    results, EnquiryRecordSyncResult, "enquiry_record", EnquiryRecord.from_row
                ),
                "counts": CustomerSyncCounts.of(results),
            }

        return await run_mutation(info.context, SyncEnquiryRecordsPayload, action)

    @strawberry.mutation(description="Settings section 'erp' (ADMIN workers).")
    async def update_erp_settings(
        self, info: Info, input: UpdateErpSettingsInput
    ) -> UpdateErpSettingsPayload:
        require_admin(info.context.viewer)

        async def action() -> dict[str, object]:
            settings = await erp_settings.update_erp_settings(info.context, set_values(input))
            return {"settings": ErpSettings(**settings.model_dump())}

        return await run_mutation(info.context, UpdateErpSettingsPayload, action)
