"""Money and percentages: finite, no more places than cents, not negative where that means
nothing, within the field's maximum (domain/validation.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import ErrorCode
from domain.validation import MAX_APPROVAL_VALUE, MAX_MONEY, check_money, check_percent

MONEY_CASES: list[
    tuple[str, Decimal | None, Decimal | None, Decimal, list[tuple[ErrorCode, str]]]
] = [
    ("absent", None, Decimal("0"), MAX_MONEY, []),
    ("cents", Decimal("12.34"), Decimal("0"), MAX_MONEY, []),
    ("whole", Decimal("12"), Decimal("0"), MAX_MONEY, []),
    ("zero", Decimal("0"), Decimal("0"), MAX_MONEY, []),
    (
        "three places",
        Decimal("1.005"),
        Decimal("0"),
        MAX_MONEY,
        [(ErrorCode.INVALID, "amount must have at most two decimal places")],
    ),
    (
        "negative",
        Decimal("-0.01"),
        Decimal("0"),
        MAX_MONEY,
        [(ErrorCode.INVALID, "amount must be at least 0")],
    ),
    ("negative where allowed", Decimal("-50.00"), None, MAX_MONEY, []),
    (
        "above the maximum",
        Decimal("1000000.00"),
        Decimal("0"),
        MAX_APPROVAL_VALUE,
        [(ErrorCode.LIMIT_EXCEEDED, "amount must be at most 999999.99")],
    ),
    ("at the maximum", MAX_APPROVAL_VALUE, Decimal("0"), MAX_APPROVAL_VALUE, []),
    (
        "NaN",
        Decimal("NaN"),
        Decimal("0"),
        MAX_MONEY,
        [(ErrorCode.INVALID, "amount must be a finite number")],
    ),
    (
        "Infinity",
        Decimal("Infinity"),
        None,
        MAX_MONEY,
        [(ErrorCode.INVALID, "amount must be a finite number")],
    ),
]


@pytest.mark.parametrize(
    ("value", "minimum", "maximum", "expected"),
    [case[1:] for case in MONEY_CASES],
    ids=[case[0] for case in MONEY_CASES],
)
def test_check_money(
    value: Decimal | None,
    minimum: Decimal | None,
    maximum: Decimal,
    expected: list[tuple[ErrorCode, str]],
) -> None:
    errors = check_money("amount", value, minimum=minimum, maximum=maximum)

    assert [(e.code, e.message) for e in errors] == expected
    assert all(e.field == ["amount"] for e in errors)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("0"), []),
        (Decimal("12.5"), []),
        (Decimal("100"), []),
        (Decimal("100.01"), [(ErrorCode.LIMIT_EXCEEDED, "discountPercent must be at most 100")]),
        (Decimal("-1"), [(ErrorCode.INVALID, "discountPercent must be at least 0")]),
        (
            Decimal("2.125"),
            [(ErrorCode.INVALID, "discountPercent must have at most two decimal places")],
        ),
    ],
)
def test_check_percent(value: Decimal, expected: list[tuple[ErrorCode, str]]) -> None:
    errors = check_percent("discountPercent", value)

    assert [(e.code, e.message) for e in errors] == expected
