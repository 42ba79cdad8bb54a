"""Per-record results of the customer sync mutations (`syncAccounts`, `syncAddresses`,
`syncContacts`, `syncInvoices`, `syncEnquiryRecords`)."""

from __future__ import annotations

import strawberry

from schema.customer_types import Account, Address, Contact
from schema.enquiry_types import EnquiryRecord, Invoice
from schema.sync_types import SyncPayload, SyncRecordResult


@strawberry.type
class AccountSyncResult(SyncRecordResult):
    account: Account | None


@strawberry.type
class AddressSyncResult(SyncRecordResult):
    address: Address | None


@strawberry.type
class ContactSyncResult(SyncRecordResult):
    contact: Contact | None


@strawberry.type
class InvoiceSyncResult(SyncRecordResult):
    invoice: Invoice | None


@strawberry.type
class EnquiryRecordSyncResult(SyncRecordResult):
    enquiry_record: EnquiryRecord | None


@strawberry.type
class SyncAccountsPayload(SyncPayload):
    results: list[AccountSyncResult] = strawberry.field(default_factory=list)


@strawberry.type
class SyncAddressesPayload(SyncPayload):
    results: list[AddressSyncResult] = strawberry.field(default_factory=list)


@strawberry.type
class SyncContactsPayload(SyncPayload):
    results: list[ContactSyncResult] = strawberry.field(default_factory=list)


@strawberry.type
class SyncInvoicesPayload(SyncPayload):
    results: list[InvoiceSyncResult] = strawberry.field(default_factory=list)


@strawberry.type
class SyncEnquiryRecordsPayload(SyncPayload):
    results: list[EnquiryRecordSyncResult] = strawberry.field(default_factory=list)


@strawberry.type(description="Settings section 'erp'.")
class ErpSettings:
    restrict_account_editing_to_erp: bool = strawberry.field(
        description="Seed 000: web edits of ERP-owned account and address fields are refused."
    )
