"""What checkout's mutations share, `checkoutCart` and `orderQuote`: the buyer's payment
choices from the input, and the payload's fields from the result."""

from __future__ import annotations

from typing import Protocol

import strawberry

from domain.enums import PaymentType
from resolvers.checkout import CheckoutChoices, CheckoutResult
from schema.cart_types import Cart
from schema.errors import Warning
from schema.input_values import key_of
from schema.order_types import BankDetails, Order
from schema.quote_types import Quote


class PaymentChoiceInput(Protocol):
    """The payment fields checkout's inputs share (`CheckoutCartInput`, `OrderQuoteInput`)."""

    payment_type: PaymentType
    payment_reference: str | None
    credit_card_id: strawberry.ID | None
    shipping_account_id: strawberry.ID | None


def checkout_choices(input: PaymentChoiceInput) -> CheckoutChoices:
    """What the buyer chose, with the card and shipping account IDs decoded."""
    return CheckoutChoices(
        payment_type=input.payment_type,
        payment_reference=input.payment_reference,
        credit_card_id=key_of(input.credit_card_id, "CreditCard", field="creditCardId"),
        shipping_account_id=key_of(
            input.shipping_account_id, "ShippingAccount", field="shippingAccountId"
        ),
    )


def checkout_answer(result: CheckoutResult) -> dict[str, object]:
    """A checkout's payload fields: the cart, the order or quote it made, warnings, bank details."""
    return {
        "cart": Cart.from_row(result.cart),
        "order": Order.from_optional_row(result.order),
        "warnings": [Warning(code=w.code, message=w.message) for w in result.warnings],
        "bank_details": BankDetails.from_settings(result.bank_details),
        "quote": Quote.from_optional_row(result.quote),
    }
