"""Vaulted credit cards: the API keeps a gateway's token and what a person needs to recognise
the card, never the card number or its security code (seed 002 "Credit Cards": "the secure
credit card vaulting process must be used")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from domain.enums import PaymentType
from domain.errors import DomainError, ErrorCode
from domain.validation import check_required

# Runs of digits, optionally grouped by spaces or dashes as people type them.
_DIGIT_RUN = re.compile(r"\d(?:[ -]?\d)*")
# A lone group of 3-4 digits is what a security code looks like.
_SECURITY_CODE = re.compile(r"(?<!\d)\d{3,4}(?!\d)")
_LAST4 = re.compile(r"^\d{4}$")


def passes_luhn(digits: str) -> bool:
    """The ISO/IEC 7812 check digit that every payment card number carries."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        number = int(char)
        if index % 2 == 1:
            number = number * 2 - 9 if number > 4 else number * 2
        total += number
    return total % 10 == 0


def contains_card_number(text: str) -> bool:
    """True when `text` holds a 13-19 digit run that passes the Luhn check: a PAN."""
    for match in _DIGIT_RUN.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if 13 <= len(digits) <= 19 and passes_luhn(digits):
            return True
    return False


def is_expired(*, expiry_month: int, expiry_year: int, today: date) -> bool:
    """A card is good until the last day of its expiry month."""
    return (expiry_year, expiry_month) < (today.year, today.month)


@dataclass(frozen=True)
class CardDetails:
    """A card to save: the gateway's token and what identifies the card to people."""

    token: str
    brand: str
    last4: str
    expiry_month: int
    expiry_year: int
    holder_name: str


def validate_card(card: CardDetails, *, today: date) -> list[DomainError]:
    """Seed 002 "Credit Cards": only a vaulted reference is stored. Anything that looks like a
    card number (any field) or a security code (the holder's name) is refused outright, so a
    client that sends one learns at once instead of the number being kept."""
    errors: list[DomainError] = []
    texts = {"token": card.token, "brand": card.brand, "holderName": card.holder_name}
    for label, value in texts.items():
        errors += check_required(label, value)
    for label, value in texts.items():
        if contains_card_number(value or ""):
            errors.append(
                DomainError(
                    ErrorCode.INVALID,
                    f"{label} looks like a card number; send the payment gateway's token and "
                    "the last four digits, never the card number",
                    field=[label],
                )
            )
    holder = card.holder_name or ""
    if _SECURITY_CODE.search(holder) and not contains_card_number(holder):
        errors.append(
            DomainError(
                ErrorCode.INVALID,
                "holderName looks like it holds a security code; never send the CVV",
                field=["holderName"],
            )
        )
    if not _LAST4.match(card.last4 or ""):
        errors.append(
            DomainError(ErrorCode.INVALID, "last4 must be exactly four digits", field=["last4"])
        )
    month, year = card.expiry_month, card.expiry_year
    if not isinstance(month, int) or not 1 <= month <= 12:
        errors.append(
            DomainError(ErrorCode.INVALID, "expiryMonth must be 1 to 12", field=["expiryMonth"])
        )
    if not isinstance(year, int) or not today.year - 1 <= year <= today.year + 30:
        errors.append(
            DomainError(
                ErrorCode.INVALID, "expiryYear must be a four-digit year", field=["expiryYear"]
            )
        )
    elif isinstance(month, int) and is_expired(expiry_month=month, expiry_year=year, today=today):
        errors.append(DomainError(ErrorCode.INVALID, "The card has expired", field=["expiryYear"]))
    return errors


def check_saved_card_payment(
    *,
    payment_type: PaymentType,
    reference_given: bool,
    expiry_month: int,
    expiry_year: int,
    today: date,
) -> list[DomainError]:
    """Issue #6: "CREDIT_CARD and PAYPAL need a paymentReference (a saved card of the account or
    a gateway authorisation id)". A saved card pays CREDIT_CARD only, instead of a reference,
    and only until the end of its expiry month."""
    field = ["creditCardId"]
    if payment_type is not PaymentType.CREDIT_CARD:
        return [
            DomainError(ErrorCode.INVALID, "A saved card pays by CREDIT_CARD only", field=field)
        ]
    if reference_given:
        return [
            DomainError(
                ErrorCode.INVALID,
                "Give a saved card or a payment reference, not both",
                field=field,
            )
        ]
    if is_expired(expiry_month=expiry_month, expiry_year=expiry_year, today=today):
        return [
            DomainError(
                ErrorCode.INVALID,
                f"The card expired at the end of {expiry_month:02d}/{expiry_year}",
                field=field,
            )
        ]
    return []
