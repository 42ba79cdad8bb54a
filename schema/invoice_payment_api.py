"""Paying invoices (seeds 002 and 003) and the account's web payments."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import strawberry

from domain.enums import PaymentType
from resolvers import invoice_payments
from resolvers.invoice_payments import PaymentAsked
from schema.info import Info
from schema.input_values import key_of, maybe_key
from schema.invoice_payment_types import InvoicePayment
from schema.order_types import BankDetails
from schema.payloads import Payload, mutation
from schema.permissions import require_people
from schema.relay import Connection, PageRequest, paged, paginate


@strawberry.input
class InvoiceShareInput:
    invoice_id: strawberry.ID
    amount: Decimal | None = strawberry.field(
        default=None, description="What to pay against it; null pays all it owes."
    )


@strawberry.input(
    description="Pay open invoices of one account by a saved card (CREDIT_CARD with "
    "`creditCardId`) or by DIRECT_DEPOSIT."
)
class PayInvoicesInput:
    invoices: list[InvoiceShareInput]
    payment_type: PaymentType
    credit_card_id: strawberry.ID | None = None
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="Repeating the payment with the same key returns the first result.",
    )


@strawberry.type
class PayInvoicesPayload(Payload):
    payment: InvoicePayment | None = None
    bank_details: BankDetails | None = strawberry.field(
        default=None, description="DIRECT_DEPOSIT: where to send the money."
    )


@strawberry.type
class InvoicePaymentMutation:
    @mutation(
        PayInvoicesPayload,
        gate=require_people,
        description="Pay one or more open invoices of the viewer's active account (contacts) "
        "or of an account the worker may read; they and the account owe less at once and the "
        "payment goes to the ERP export feed.",
    )
    async def pay_invoices(self, info: Info, input: PayInvoicesInput) -> dict[str, object]:
        asked = PaymentAsked(
            payment_type=input.payment_type,
            shares=[(maybe_key(s.invoice_id, "Invoice"), s.amount) for s in input.invoices],
            credit_card_id=key_of(input.credit_card_id, "CreditCard", field="creditCardId"),
        )
        result = await invoice_payments.pay_invoices(
            info.context, asked, idempotency_key=input.idempotency_key
        )
        return {
            "payment": InvoicePayment.from_row(result.payment),
            "bank_details": BankDetails.from_settings(result.bank_details),
        }


@paged
async def account_invoice_payments(
    root: Any,
    info: Info,
    page: PageRequest,
) -> Connection[InvoicePayment]:
    """Attached to `Account`: its web invoice payments, newest first (empty for those who may
    not enquire it)."""
    return await paginate(
        info,
        invoice_payments.account_payments(info.context, root.row),
        page,
        InvoicePayment.from_row,
    )
