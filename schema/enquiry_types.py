"""Account enquiry objects: ERP invoices and records, and an account's balance summary."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from domain.enquiry import EnquiryKind, EnquiryStatus, InvoiceStatus, invoice_status
from domain.terms import Ageing
from models import EnquiryRecord as EnquiryRecordRow
from resolvers.orders import readable_order
from schema.info import Info
from schema.relay import FromRow, Node

if TYPE_CHECKING:
    from schema.order_types import Order

LazyOrder = Annotated["Order", strawberry.lazy("schema.order_types")]


@strawberry.type(description="An invoice imported from the ERP (read-only).")
class Invoice(Node, FromRow):
    number: str
    erp_key: str | None
    invoice_date: date
    due_date: date | None = strawberry.field(
        description="The ERP's due date, or the one the account's payment terms give."
    )
    amount: Decimal
    balance: Decimal = strawberry.field(description="What is still owed.")

    @strawberry.field
    def status(self, info: Info) -> InvoiceStatus:
        return invoice_status(
            balance=self.balance, due=self.due_date, today=info.context.now.date()
        )


@strawberry.type(
    description="A transaction, sales order, back order, payment or credit imported from the "
    "ERP (read-only)."
)
class EnquiryRecord(Node, FromRow):
    kind: EnquiryKind
    number: str
    erp_key: str
    document_date: date
    due_date: date | None
    status: EnquiryStatus
    amount: Decimal
    outstanding: Decimal = strawberry.field(
        description="What is still to be paid, shipped or used."
    )
    reference: str | None = strawberry.field(description="The customer's reference, e.g. a PO.")
    description: str | None
    carrier: str | None = strawberry.field(description="SHIPMENT: who carries it.")
    tracking_number: str | None = strawberry.field(description="SHIPMENT: the carrier's number.")
    updated_at: datetime
    row: strawberry.Private[EnquiryRecordRow]

    @strawberry.field(
        description="The web order the record belongs to (a SHIPMENT: the order it ships), "
        "when the viewer may read it."
    )
    async def order(self, info: Info) -> LazyOrder | None:
        from schema.order_types import Order

        row = await readable_order(info.context, self.row.order_id)
        return Order.from_optional_row(row)


@strawberry.type(
    description="What the account owes: its ERP balance and its open invoices by days overdue."
)
class BalanceSummary:
    balance: Decimal = strawberry.field(description="The ERP's balance of the account.")
    balance_limit: Decimal | None
    open_invoices: Decimal = strawberry.field(description="Sum of open invoice balances.")
    not_yet_due: Decimal
    overdue: Decimal
    days_0_to_30: Decimal = strawberry.field(description="1 to 30 days past due.")
    days_31_to_60: Decimal
    days_61_to_90: Decimal
    over_90_days: Decimal

    @classmethod
    def of(
        cls, ageing: Ageing, *, balance: Decimal, balance_limit: Decimal | None
    ) -> BalanceSummary:
        return cls(
            balance=balance,
            balance_limit=balance_limit,
            open_invoices=ageing.total,
            not_yet_due=ageing.not_yet_due,
            overdue=ageing.overdue,
            days_0_to_30=ageing.days_0_to_30,
            days_31_to_60=ageing.days_31_to_60,
            days_61_to_90=ageing.days_61_to_90,
            over_90_days=ageing.over_90_days,
        )
