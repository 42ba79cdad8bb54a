"""domain.carts: ship-to choices, date required, cost centres and quantities."""

from __future__ import annotations

from datetime import date

import pytest

from domain.carts import (
    MAX_CART_LINES,
    ShipToRights,
    check_cost_centre,
    check_date_required,
    check_line_count,
    check_quantity,
    check_ship_to,
)
from domain.errors import ErrorCode

NOTHING = ShipToRights(False, False, False)
SELECT = ShipToRights(True, False, False)
MANUAL = ShipToRights(False, True, False)
FUTURE = ShipToRights(False, False, True)
TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("rights", "choosing", "entering", "expected"),
    [
        (NOTHING, False, False, []),
        (NOTHING, True, False, [(ErrorCode.NOT_PERMITTED, ["addressId"])]),
        (SELECT, True, False, []),
        (SELECT, False, True, [(ErrorCode.NOT_PERMITTED, ["address"])]),
        (MANUAL, False, True, []),
        (ShipToRights(True, True, False), True, True, [(ErrorCode.INVALID, ["address"])]),
    ],
)
def test_check_ship_to(
    rights: ShipToRights, choosing: bool, entering: bool, expected: list[object]
) -> None:
    errors = check_ship_to(rights=rights, choosing_address=choosing, entering_address=entering)

    assert [(e.code, e.field) for e in errors] == expected


@pytest.mark.parametrize(
    ("rights", "required", "expected"),
    [
        (NOTHING, None, []),
        (NOTHING, TODAY, [ErrorCode.NOT_PERMITTED]),
        (FUTURE, TODAY, []),
        (FUTURE, date(2027, 1, 5), []),
        (FUTURE, date(2026, 11, 26), [ErrorCode.INVALID]),
    ],
)
def test_check_date_required(
    rights: ShipToRights, required: date | None, expected: list[ErrorCode]
) -> None:
    errors = check_date_required(rights=rights, date_required=required, today=TODAY)

    assert [e.code for e in errors] == expected


@pytest.mark.parametrize(
    ("cost_centre", "known", "valid"),
    [(None, ["A"], True), ("ANY", [], True), ("A", ["A", "B"], True), ("C", ["A", "B"], False)],
)
def test_check_cost_centre(cost_centre: str | None, known: list[str], valid: bool) -> None:
    assert (check_cost_centre(cost_centre=cost_centre, known=known) == []) is valid


@pytest.mark.parametrize(
    ("quantity", "valid"), [(0, False), (1, True), (1_000_000, True), (1_000_001, False)]
)
def test_check_quantity(quantity: int, valid: bool) -> None:
    assert (check_quantity(["quantity"], quantity) == []) is valid


def test_a_cart_may_hold_up_to_its_line_limit() -> None:
    assert check_line_count(["lines"], MAX_CART_LINES) == []
    [error] = check_line_count(["lines"], MAX_CART_LINES + 1)
    assert (error.code, error.field) == (ErrorCode.LIMIT_EXCEEDED, ["lines"])
