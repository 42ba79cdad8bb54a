"""domain.approvals: CM10's Joe / Jane / Mary / Kathy / Bill / Frank example and the limits."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.approvals import (
    ApproverRights,
    approval_refusals,
    emails_approver,
    needs_approval,
    sees_cart,
)
from domain.errors import ErrorCode

JOE, JANE, MARY, KATHY, BILL, FRANK = 1, 2, 3, 4, 5, 6
# Each shopper's cart approver at ABC1234.
APPROVER_OF = {MARY: JOE, KATHY: JOE, BILL: JOE, FRANK: JANE}
JOE_RIGHTS = ApproverRights(
    JOE, approve_assigned=True, approve_all=False, maximum_approval_value=None
)
JANE_RIGHTS = ApproverRights(
    JANE, approve_assigned=False, approve_all=True, maximum_approval_value=None
)


@pytest.mark.parametrize(
    ("approver", "sees"),
    [(JOE_RIGHTS, {MARY, KATHY, BILL}), (JANE_RIGHTS, {MARY, KATHY, BILL, FRANK})],
    ids=["Joe approves assigned", "Jane approves all"],
)
def test_who_sees_whose_carts(approver: ApproverRights, sees: set[int]) -> None:
    seen = {
        shopper
        for shopper, approver_id in APPROVER_OF.items()
        if sees_cart(approver=approver, shopper_id=shopper, shopper_approver_id=approver_id)
    }

    assert seen == sees


def test_without_approve_assigned_an_assigned_approver_sees_nothing() -> None:
    rights = ApproverRights(
        JOE, approve_assigned=False, approve_all=False, maximum_approval_value=None
    )

    assert not sees_cart(approver=rights, shopper_id=MARY, shopper_approver_id=JOE)


def test_nobody_sees_their_own_cart_to_approve() -> None:
    assert not sees_cart(approver=JANE_RIGHTS, shopper_id=JANE, shopper_approver_id=None)


@pytest.mark.parametrize(
    ("approver_id", "threshold", "total", "expected"),
    [
        (None, None, "1000", False),
        (JOE, None, "0.01", True),
        (JOE, "100", "99.99", False),
        (JOE, "100", "100.00", True),
    ],
)
def test_needs_approval(
    approver_id: int | None, threshold: str | None, total: str, expected: bool
) -> None:
    assert (
        needs_approval(
            cart_approver_id=approver_id,
            no_approval_below_value=Decimal(threshold) if threshold else None,
            total=Decimal(total),
        )
        is expected
    )


@pytest.mark.parametrize(
    ("shopper", "limit", "total", "expected"),
    [
        (MARY, None, "99999", []),
        (MARY, "500", "500.00", []),
        (MARY, "500", "500.01", [ErrorCode.LIMIT_EXCEEDED]),
        (JOE, None, "1", [ErrorCode.NOT_PERMITTED]),
    ],
    ids=["no limit", "at the limit", "above the limit", "own cart"],
)
def test_approval_refusals(
    shopper: int, limit: str | None, total: str, expected: list[ErrorCode]
) -> None:
    rights = ApproverRights(
        JOE,
        approve_assigned=True,
        approve_all=False,
        maximum_approval_value=Decimal(limit) if limit else None,
    )

    refusals = approval_refusals(approver=rights, shopper_id=shopper, total=Decimal(total))

    assert [e.code for e in refusals] == expected


@pytest.mark.parametrize(
    ("shopper", "approver", "emailed"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
    ids=["both", "shopper only", "approver only", "neither"],
)
def test_the_approver_is_emailed_only_when_both_memberships_say_so(
    shopper: bool, approver: bool, emailed: bool
) -> None:
    assert (
        emails_approver(shopper_email_approver=shopper, approver_email_approver=approver) is emailed
    )
