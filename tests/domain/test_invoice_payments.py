"""Seeds 002/003: how much an invoice payment pays, and by what means."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.enums import PaymentType
from domain.invoice_payments import check_payment_means, invoice_share


@pytest.mark.parametrize(
    ("balance", "asked", "amount", "code"),
    [
        ("100.00", None, "100.00", None),
        ("100.00", "40.00", "40.00", None),
        ("100.00", "100.00", "100.00", None),
        ("100.00", "100.01", "100.01", "LIMIT_EXCEEDED"),
        ("100.00", "0.00", "0.00", "INVALID"),
        ("100.00", "-5.00", "-5.00", "INVALID"),
        ("100.00", "1.005", "1.005", "INVALID"),
        ("0.00", None, "0", "INVALID"),
        ("-20.00", "5.00", "0", "INVALID"),
    ],
)
def test_an_invoice_gets_what_is_asked_or_all_it_owes_never_more(
    balance: str, asked: str | None, amount: str, code: str | None
) -> None:
    share = invoice_share(
        path=["invoices", "0"],
        number="INV-1",
        balance=Decimal(balance),
        asked=Decimal(asked) if asked is not None else None,
    )
    assert share.amount == Decimal(amount)
    assert [e.code.value for e in share.errors] == ([code] if code else [])


@pytest.mark.parametrize(
    ("payment_type", "card", "field"),
    [
        (PaymentType.CREDIT_CARD, True, None),
        (PaymentType.DIRECT_DEPOSIT, False, None),
        (PaymentType.CREDIT_CARD, False, "creditCardId"),
        (PaymentType.DIRECT_DEPOSIT, True, "creditCardId"),
        (PaymentType.ON_ACCOUNT, False, "paymentType"),
        (PaymentType.PAYPAL, False, "paymentType"),
        (PaymentType.RUNNING_QUOTE, True, "paymentType"),
    ],
)
def test_invoices_are_paid_by_saved_card_or_direct_deposit(
    payment_type: PaymentType, card: bool, field: str | None
) -> None:
    errors = check_payment_means(payment_type=payment_type, card_given=card)
    assert [e.field for e in errors] == ([[field]] if field else [])
