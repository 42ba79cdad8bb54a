"""Invoice payments as GraphQL objects (seeds 002 and 003)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from domain.enums import PaymentType
from loaders.enquiry import InvoiceByIdLoader, InvoicePaymentLinesByPaymentIdLoader
from models import InvoicePayment as InvoicePaymentRow
from schema.enquiry_types import Invoice
from schema.info import Info
from schema.order_types import account_of, contact_of, worker_of
from schema.relay import FromRow, Node

if TYPE_CHECKING:
    from schema.customer_types import Account, Contact, Worker

LazyAccount = Annotated["Account", strawberry.lazy("schema.customer_types")]
LazyContact = Annotated["Contact", strawberry.lazy("schema.customer_types")]
LazyWorker = Annotated["Worker", strawberry.lazy("schema.customer_types")]


@strawberry.type(description="What one invoice received from a payment.")
class InvoicePaymentLine:
    invoice_key: strawberry.Private[int]
    amount: Decimal

    @strawberry.field
    async def invoice(self, info: Info) -> Invoice | None:
        row = await info.context.loader(InvoiceByIdLoader).load(self.invoice_key)
        return Invoice.from_optional_row(row)


@strawberry.type(
    description="A payment of open invoices made on the web, exported to the ERP (kind PAYMENT)."
)
class InvoicePayment(Node, FromRow):
    row: strawberry.Private[InvoicePaymentRow]
    payment_type: PaymentType
    payment_reference: str | None = strawberry.field(
        description="CREDIT_CARD: the saved card's vault token, for the ERP or gateway to charge."
    )
    amount: Decimal = strawberry.field(description="The sum of the lines.")
    erp_key: str | None = strawberry.field(description="The ERP's number, once it imported it.")
    created_at: datetime

    @strawberry.field
    async def lines(self, info: Info) -> list[InvoicePaymentLine]:
        rows = await info.context.loader(InvoicePaymentLinesByPaymentIdLoader).load(self.db_id)
        return [InvoicePaymentLine(invoice_key=r.invoice_id, amount=r.amount) for r in rows]

    @strawberry.field
    async def account(self, info: Info) -> LazyAccount | None:
        return await account_of(info, self.row.account_id)

    @strawberry.field(description="The contact who paid (null when a worker did).")
    async def paid_by_contact(self, info: Info) -> LazyContact | None:
        return await contact_of(info, self.row.paid_by_contact_id)

    @strawberry.field(description="The worker who took the payment for the account.")
    async def paid_by_worker(self, info: Info) -> LazyWorker | None:
        return await worker_of(info, self.row.paid_by_worker_id)
