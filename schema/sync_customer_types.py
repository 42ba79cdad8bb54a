"""Per-record results of the customer sync mutations (`syncAccounts`, `syncAddresses`,
`syncContacts`, `syncInvoices`, `syncEnquiryRecords`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import strawberry

from domain.erp import SyncOutcome
from resolvers.customer_sync import RecordResult
from schema.customer_types import Account, Address, Contact
from schema.enquiry_types import EnquiryRecord, Invoice
from schema.errors import UserError
from schema.payloads import Payload

strawberry.enum(SyncOutcome, name="CustomerSyncOutcome")


@strawberry.type(description="How many records of the call had each outcome.")
class CustomerSyncCounts:
    created: int
    updated: int
    unchanged: int
    failed: int

    @classmethod
    def of(cls, results: Sequence[RecordResult]) -> CustomerSyncCounts:
        counts = Counter(r.outcome for r in results)
        return cls(
            created=counts[SyncOutcome.CREATED],
            updated=counts[SyncOutcome.UPDATED],
            unchanged=counts[SyncOutcome.UNCHANGED],
            failed=counts[SyncOutcome.ERROR],
        )


@strawberry.interface(description="The outcome of one record of a sync call.")
class CustomerSyncResult:
    index: int = strawberry.field(description="Position of the record in `input.records`.")
    erp_key: str | None
    outcome: SyncOutcome
    errors: list[UserError] = strawberry.field(
        description="Why the record was refused (`outcome` ERROR); nothing of it was saved."
    )


@strawberry.type
class AccountSyncResult(CustomerSyncResult):
    account: Account | None


@strawberry.type
class AddressSyncResult(CustomerSyncResult):
    address: Address | None


@strawberry.type
class ContactSyncResult(CustomerSyncResult):
    contact: Contact | None


@strawberry.type
class InvoiceSyncResult(CustomerSyncResult):
    invoice: Invoice | None


@strawberry.type
class EnquiryRecordSyncResult(CustomerSyncResult):
    enquiry_record: EnquiryRecord | None


R = TypeVar("R", bound=CustomerSyncResult)


def to_results(
    results: Sequence[RecordResult], result_type: type[R], name: str, to_node: Callable[[Any], Any]
) -> list[R]:
    """`name` is the result type's field holding the saved object."""
    return [
        result_type(
            index=r.index,
            erp_key=r.erp_key,
            outcome=r.outcome,
            errors=[UserError.from_domain(e) for e in r.errors],
            **{name: to_node(r.row) if r.row is not None and not r.errors else None},
        )
        for r in results
    ]


@strawberry.type
class SyncPayload(Payload):
    counts: CustomerSyncCounts | None = None


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
