"""Records the ERP sends to the customer sync mutations, keyed by their ERP key. Fields left out
keep the platform's value; the ERP's value wins for every field it sends."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from domain.enquiry import EnquiryKind, EnquiryStatus
from domain.enums import AddressKind, CreditAction, MembershipRole, PaymentTermsKind
from schema.sync_types import SyncInput

UNSET = strawberry.UNSET


@strawberry.input(
    description="Seed 003 'User Created For Account': a contact login for an imported account, "
    "created once. It has no password until its person resets it."
)
class CreateLoginInput:
    username: str
    name: str | None = UNSET
    email: str | None = UNSET


@strawberry.input
class AccountRecordInput:
    erp_key: str
    code: str
    company_name: str
    is_active: bool | None = UNSET
    tax_number: str | None = UNSET
    contact_name: str | None = UNSET
    email: str | None = UNSET
    sales_rep_code: str | None = UNSET
    price_level: str | None = UNSET
    discount_percent: Decimal | None = UNSET
    payment_types: str | None = strawberry.field(
        default=UNSET, description='Comma-delimited codes AC, CC, PP, DD, RQ, e.g. "AC,CC".'
    )
    is_on_hold: bool | None = UNSET
    on_hold_action: CreditAction | None = UNSET
    is_out_of_terms: bool | None = UNSET
    out_of_terms_action: CreditAction | None = UNSET
    out_of_credit_action: CreditAction | None = UNSET
    balance: Decimal | None = UNSET
    balance_limit: Decimal | None = UNSET
    payment_terms_kind: PaymentTermsKind | None = UNSET
    payment_terms_value: int | None = UNSET
    account_class: str | None = UNSET
    territory: str | None = UNSET
    shipping_method: str | None = UNSET
    customer_groups: list[str] | None = UNSET
    create_login: CreateLoginInput | None = UNSET


@strawberry.input
class AddressRecordInput:
    erp_key: str
    account_erp_key: str
    name: str
    line1: str
    city: str
    postcode: str
    kind: AddressKind | None = UNSET
    line2: str | None = UNSET
    region: str | None = UNSET
    country: str | None = UNSET
    is_primary: bool | None = UNSET


@strawberry.input(description="A contact of the account named by `accountErpKey`.")
class ContactRecordInput:
    erp_key: str
    account_erp_key: str
    name: str
    role: MembershipRole | None = UNSET
    email: str | None = UNSET
    phone: str | None = UNSET
    is_enabled: bool | None = UNSET


@strawberry.input(description="Without `dueDate` the account's payment terms decide it.")
class InvoiceRecordInput:
    erp_key: str
    account_erp_key: str
    number: str
    invoice_date: date
    amount: Decimal
    due_date: date | None = UNSET
    balance: Decimal | None = UNSET


@strawberry.input
class EnquiryRecordInput:
    erp_key: str
    account_erp_key: str
    kind: EnquiryKind
    number: str
    document_date: date
    amount: Decimal
    due_date: date | None = UNSET
    status: EnquiryStatus | None = UNSET
    outstanding: Decimal | None = UNSET
    reference: str | None = UNSET
    description: str | None = UNSET
    order_number: str | None = strawberry.field(
        default=UNSET,
        description="The web order the record belongs to (`Order.number` in the export), e.g. "
        "the order a SHIPMENT ships; null unlinks.",
    )
    carrier: str | None = UNSET
    tracking_number: str | None = UNSET


@strawberry.input
class SyncAccountsInput(SyncInput):
    records: list[AccountRecordInput]


@strawberry.input
class SyncAddressesInput(SyncInput):
    records: list[AddressRecordInput]


@strawberry.input
class SyncContactsInput(SyncInput):
    records: list[ContactRecordInput]


@strawberry.input
class SyncInvoicesInput(SyncInput):
    records: list[InvoiceRecordInput]


@strawberry.input
class SyncEnquiryRecordsInput(SyncInput):
    records: list[EnquiryRecordInput]


@strawberry.input
class UpdateErpSettingsInput:
    restrict_account_editing_to_erp: bool | None = UNSET
