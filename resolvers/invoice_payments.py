"""Invoice payments (seeds 002 and 003): a contact (or a worker for the account) pays open
invoices of the account by saved card or direct deposit. The payment reduces what the
invoices and the account owe at once and goes to the ERP like an order.

The account row is locked first, so payments of one account take turns: a second payment of
the same invoice waits and then sees what the first left owing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, false, select, true
from sqlmodel import col

from core.context import Context
from domain.enums import ExportKind, PaymentType
from domain.errors import DomainError, ErrorCode, raise_if_any
from domain.invoice_payments import check_payment_means, invoice_share
from domain.payment_cards import check_saved_card_payment
from domain.validation import check_length
from domain.webhooks import WebhookEventKind
from loaders.enquiry import InvoiceByIdLoader, InvoicePaymentByIdLoader
from models import Account, ErpExport, Invoice, InvoicePayment, InvoicePaymentLine
from resolvers import webhooks
from resolvers.access import readable_account, readable_accounts
from resolvers.checkout import DirectDepositSettings, bank_details_for
from resolvers.enquiry import may_enquire
from resolvers.row_locks import for_update
from resolvers.wallet import readable_credit_card
from resolvers.webhooks import payment_data, queue_export


@dataclass(frozen=True)
class PaymentAsked:
    """The payer's request as the client sent it: (invoice id, amount or None for all owed)."""

    payment_type: PaymentType
    shares: Sequence[tuple[int | None, Decimal | None]]
    credit_card_id: int | None = None


@dataclass(frozen=True)
class PaymentResult:
    payment: InvoicePayment
    bank_details: DirectDepositSettings | None


def _principal(context: Context) -> str:
    viewer = context.viewer
    if viewer.contact_id is not None:
        return f"contact:{viewer.contact_id}"
    return f"worker:{viewer.worker_id}"


def _request_hash(asked: PaymentAsked) -> str:
    body = json.dumps(
        [
            asked.payment_type.value,
            asked.credit_card_id,
            [
                [invoice_id, str(amount) if amount is not None else None]
                for invoice_id, amount in asked.shares
            ],
        ]
    )
    return hashlib.sha256(body.encode()).hexdigest()


async def _payable_account(context: Context, invoice_ids: Sequence[int | None]) -> Account:
    """The one account whose invoices these are, which the viewer may enquire; an invoice the
    viewer may not see does not exist."""
    invoices = await context.loader(InvoiceByIdLoader).load_many(
        [i for i in invoice_ids if i is not None]
    )
    found = {invoice.id: invoice for invoice in invoices if invoice is not None}
    accounts = await readable_accounts(context, list({i.account_id for i in found.values()}))
    errors: list[DomainError] = []
    account_ids: set[int] = set()
    for index, invoice_id in enumerate(invoice_ids):
        invoice = found.get(invoice_id)
        if (
            invoice is None
            or invoice.account_id not in accounts
            or not may_enquire(context, invoice.account_id)
        ):
            errors.append(
                DomainError(
                    ErrorCode.NOT_FOUND,
                    "No such invoice",
                    field=["invoices", str(index), "invoiceId"],
                )
            )
        else:
            account_ids.add(invoice.account_id)
    raise_if_any(errors)
    if len(account_ids) != 1:
        raise DomainError(
            ErrorCode.INVALID, "One payment pays invoices of one account", field=["invoices"]
        )
    return accounts[account_ids.pop()]


async def _card_token(context: Context, account: Account, asked: PaymentAsked) -> str | None:
    if asked.credit_card_id is None:
        return None
    # Only a card the payer holds (a contact's own saved card, docs/wallet.md).
    card = await readable_credit_card(context, asked.credit_card_id)
    if card is None or card.account_id != account.id:
        raise DomainError(
            ErrorCode.NOT_FOUND, "No such saved card of the account", field=["creditCardId"]
        )
    raise_if_any(
        check_saved_card_payment(
            payment_type=asked.payment_type,
            reference_given=False,
            expiry_month=card.expiry_month,
            expiry_year=card.expiry_year,
            today=context.now.date(),
        )
    )
    return str(card.token)


async def _locked(
    context: Context, model: type[Any], ids: Sequence[int | None]
) -> dict[int | None, Any]:
    """Lock the rows (`resolvers.row_locks`), in id order so two payers never wait on each
    other crosswise."""
    rows = await context.db.scalars(
        for_update(select(model).where(col(model.id).in_(ids)).order_by(col(model.id)))
    )
    return {row.id: row for row in rows}


async def _result(context: Context, payment: InvoicePayment) -> PaymentResult:
    return PaymentResult(
        payment=payment, bank_details=await bank_details_for(context, payment.payment_type)
    )


async def pay_invoices(
    context: Context, asked: PaymentAsked, *, idempotency_key: str | None
) -> PaymentResult:
    """Pay the invoices: each its amount (or all it owes), none closed, none overpaid, all of
    one account the viewer may enquire. The same idempotency key with the same request gives
    back the first payment; with another request it is refused."""
    raise_if_any(check_length("idempotencyKey", idempotency_key, 100))
    if not asked.shares:
        raise DomainError(ErrorCode.REQUIRED, "Name the invoices to pay", field=["invoices"])
    invoice_ids = [invoice_id for invoice_id, _ in asked.shares]
    raise_if_any(
        [
            DomainError(
                ErrorCode.DUPLICATE,
                "The invoice is listed twice",
                field=["invoices", str(index), "invoiceId"],
            )
            for index, invoice_id in enumerate(invoice_ids)
            if invoice_id is not None and invoice_id in invoice_ids[:index]
        ]
    )
    # Invoices the viewer may not enquire do not exist for it, whatever else is wrong.
    account = await _payable_account(context, invoice_ids)
    raise_if_any(
        check_payment_means(
            payment_type=asked.payment_type, card_given=asked.credit_card_id is not None
        )
    )
    await _locked(context, Account, [account.id])
    request_hash = _request_hash(asked)
    if idempotency_key:
        earlier = await context.db.scalar(
            select(InvoicePayment).where(
                col(InvoicePayment.principal) == _principal(context),
                col(InvoicePayment.idempotency_key) == idempotency_key,
            )
        )
        if earlier is not None:
            if earlier.request_hash != request_hash:
                raise DomainError(
                    ErrorCode.INVALID,
                    "This idempotency key was used for a different payment",
                    field=["idempotencyKey"],
                )
            return await _result(context, earlier)
    token = await _card_token(context, account, asked)
    invoices = await _locked(context, Invoice, invoice_ids)
    shares = [
        invoice_share(
            path=["invoices", str(index)],
            number=invoices[invoice_id].number,
            balance=invoices[invoice_id].balance,
            asked=amount,
        )
        for index, (invoice_id, amount) in enumerate(asked.shares)
    ]
    raise_if_any([error for share in shares for error in share.errors])
    total = sum((share.amount for share in shares), Decimal("0"))
    assert account.id is not None
    payment = InvoicePayment(
        account_id=account.id,
        paid_by_contact_id=context.viewer.contact_id,
        paid_by_worker_id=context.viewer.worker_id if context.viewer.contact_id is None else None,
        payment_type=asked.payment_type,
        payment_reference=token,
        amount=total,
        principal=_principal(context),
        idempotency_key=idempotency_key or None,
        request_hash=request_hash,
        created_at=context.now,
    )
    context.session.add(payment)
    await context.session.flush()
    assert payment.id is not None
    for (invoice_id, _), share in zip(asked.shares, shares, strict=True):
        invoice = invoices[invoice_id]
        invoice.balance -= share.amount
        invoice.updated_at = context.now
        context.session.add(
            InvoicePaymentLine(payment_id=payment.id, invoice_id=invoice.id, amount=share.amount)
        )
    # The account owes less at once (its out-of-credit check reads the balance); the ERP's next
    # account sync, having imported the payment, stays the data of record.
    account.balance -= total
    await webhooks.record_event(context, WebhookEventKind.PAYMENT_RECORDED, payment_data(payment))
    await queue_export(
        context,
        ErpExport(
            kind=ExportKind.PAYMENT,
            account_id=account.id,
            invoice_payment_id=payment.id,
            created_at=context.now,
        ),
    )
    return await _result(context, payment)


def account_payments(context: Context, account: Account) -> Select[Any]:
    """`Account.invoicePayments`: newest first, for those who may enquire the account."""
    assert account.id is not None
    allowed = may_enquire(context, account.id)
    return (
        select(InvoicePayment)
        .where(col(InvoicePayment.account_id) == account.id, true() if allowed else false())
        .order_by(col(InvoicePayment.created_at).desc(), col(InvoicePayment.id).desc())
    )


async def readable_payment(context: Context, payment_id: int) -> InvoicePayment | None:
    """A payment where `Account.invoicePayments` would show it; None elsewhere, like a missing
    one."""
    payment: InvoicePayment | None = await context.loader(InvoicePaymentByIdLoader).load(payment_id)
    if payment is None or await readable_account(context, payment.account_id) is None:
        return None
    return payment if may_enquire(context, payment.account_id) else None
