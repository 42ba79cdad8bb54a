"""Seed 002 "Credit Cards": only vaulted references; anything like a PAN or CVV is refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from domain.enums import PaymentType
from domain.errors import ErrorCode
from domain.payment_cards import (
    CardDetails,
    check_saved_card_payment,
    contains_card_number,
    is_expired,
    passes_luhn,
    validate_card,
)

TODAY = date(2026, 11, 27)
GOOD = CardDetails(
    token="tok_1N3xYz",
    brand="Visa",
    last4="4242",
    expiry_month=12,
    expiry_year=2028,
    holder_name="Mary Jones",
)


@pytest.mark.parametrize(
    ("digits", "valid"),
    [("4242424242424242", True), ("4242424242424241", False), ("79927398713", True)],
)
def test_luhn(digits: str, valid: bool) -> None:
    assert passes_luhn(digits) is valid


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("4242424242424242", True),
        ("4242 4242 4242 4242", True),
        ("4242-4242-4242-4242", True),
        ("card 378282246310005 amex", True),  # 15 digits
        ("ref 4242424242424241", False),  # fails Luhn
        ("tok_1N3xYz", False),
        ("123456789012", False),  # 12 digits: too short for a card number
    ],
)
def test_card_numbers_are_recognised_with_separators(text: str, found: bool) -> None:
    assert contains_card_number(text) is found


@pytest.mark.parametrize(
    ("month", "year", "expired"),
    [(11, 2026, False), (10, 2026, True), (1, 2027, False), (12, 2025, True)],
)
def test_a_card_is_good_until_the_end_of_its_expiry_month(
    month: int, year: int, expired: bool
) -> None:
    assert is_expired(expiry_month=month, expiry_year=year, today=TODAY) is expired


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        (
            {"token": "4242424242424242"},
            [(ErrorCode.INVALID, ["token"])],
        ),
        (
            {"holder_name": "Mary 4242 4242 4242 4242"},
            [(ErrorCode.INVALID, ["holderName"])],
        ),
        ({"holder_name": "Mary Jones 123"}, [(ErrorCode.INVALID, ["holderName"])]),
        ({"last4": "42"}, [(ErrorCode.INVALID, ["last4"])]),
        ({"expiry_month": 13}, [(ErrorCode.INVALID, ["expiryMonth"])]),
        ({"expiry_month": 10, "expiry_year": 2026}, [(ErrorCode.INVALID, ["expiryYear"])]),
        ({"token": " "}, [(ErrorCode.REQUIRED, ["token"])]),
    ],
)
def test_validate_card(
    changes: dict[str, Any], expected: list[tuple[ErrorCode, list[str]]]
) -> None:
    errors = validate_card(replace(GOOD, **changes), today=TODAY)

    assert [(e.code, e.field) for e in errors] == expected


def test_the_refusal_says_what_to_send_instead() -> None:
    [error] = validate_card(replace(GOOD, token="4242424242424242"), today=TODAY)

    assert error.message == (
        "token looks like a card number; send the payment gateway's token and the last four "
        "digits, never the card number"
    )


@pytest.mark.parametrize(
    ("payment_type", "reference_given", "month", "year", "expected"),
    [
        (PaymentType.CREDIT_CARD, False, 12, 2028, []),
        (PaymentType.CREDIT_CARD, False, 11, 2026, []),  # good to the end of its month
        (
            PaymentType.CREDIT_CARD,
            False,
            10,
            2026,
            [(ErrorCode.INVALID, "The card expired at the end of 10/2026")],
        ),
        (
            PaymentType.CREDIT_CARD,
            True,
            12,
            2028,
            [(ErrorCode.INVALID, "Give a saved card or a payment reference, not both")],
        ),
        (
            PaymentType.PAYPAL,
            False,
            12,
            2028,
            [(ErrorCode.INVALID, "A saved card pays by CREDIT_CARD only")],
        ),
        (
            PaymentType.ON_ACCOUNT,
            False,
            12,
            2028,
            [(ErrorCode.INVALID, "A saved card pays by CREDIT_CARD only")],
        ),
    ],
)
def test_check_saved_card_payment(
    payment_type: PaymentType,
    reference_given: bool,
    month: int,
    year: int,
    expected: list[tuple[ErrorCode, str]],
) -> None:
    errors = check_saved_card_payment(
        payment_type=payment_type,
        reference_given=reference_given,
        expiry_month=month,
        expiry_year=year,
        today=TODAY,
    )
    assert [(e.code, e.message) for e in errors] == expected
    assert all(e.field == ["creditCardId"] for e in errors)
