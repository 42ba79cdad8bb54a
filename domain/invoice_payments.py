"""Paying invoices on the web (seed 003 "A project can be configured to allow users to pay for
invoices via credit card or direct deposit payments"; seed 002 "Credit Cards ... during the cart
checkout or invoice payment process")."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain.enums import PaymentType
from domain.errors import DomainError, ErrorCode
from domain.validation import check_money

# A saved card (seed 002: cards are vaulted) or a bank transfer to the project's account.
INVOICE_PAYMENT_TYPES = (PaymentType.CREDIT_CARD, PaymentType.DIRECT_DEPOSIT)


def check_payment_means(*, payment_type: PaymentType, card_given: bool) -> list[DomainError]:
    """Invoices are paid by a saved card (CREDIT_CARD with `creditCardId`) or by DIRECT_DEPOSIT
    (without a card: the bank details come back to the payer)."""
    if payment_type not in INVOICE_PAYMENT_TYPES:
        return [
            DomainError(
                ErrorCode.INVALID,
                "Invoices are paid by CREDIT_CARD or DIRECT_DEPOSIT",
                field=["paymentType"],
            )
        ]
    if payment_type is PaymentType.CREDIT_CARD and not card_given:
        return [
            DomainError(
                ErrorCode.REQUIRED, "Choose the saved card to pay with", field=["creditCardId"]
            )
        ]
    if payment_type is PaymentType.DIRECT_DEPOSIT and card_given:
        return [
            DomainError(
                ErrorCode.INVALID,
                "A saved card pays by CREDIT_CARD only",
                field=["creditCardId"],
            )
        ]
    return []


@dataclass(frozen=True)
class Share:
    """What one invoice gets from the payment, or why it gets nothing."""

    amount: Decimal
    errors: tuple[DomainError, ...] = ()


def invoice_share(
    *, path: list[str], number: str, balance: Decimal, asked: Decimal | None
) -> Share:
    """The amount paid against an invoice: the one asked, or (none asked) all that is owed. An
    invoice with nothing owed is closed; more than is owed is an overpayment."""
    if balance <= 0:
        return Share(
            Decimal("0"),
            (
                DomainError(
                    ErrorCode.INVALID, f"Invoice {number} is paid", field=[*path, "invoiceId"]
                ),
            ),
        )
    amount = balance if asked is None else asked
    field = [*path, "amount"]
    errors = check_money("amount", amount, minimum=Decimal("0.01"))
    if errors:
        return Share(amount, tuple(DomainError(e.code, e.message, field=field) for e in errors))
    if amount > balance:
        return Share(
            amount,
            (
                DomainError(
                    ErrorCode.LIMIT_EXCEEDED,
                    f"{amount} is more than the {balance} owed on invoice {number}",
                    field=field,
                ),
            ),
        )
    return Share(amount)
