"""Cart approval routing (PointForce CM10 "Customer Accounts": approvers and their limits)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain.errors import DomainError, ErrorCode


@dataclass(frozen=True)
class ApproverRights:
    """An approver's membership of the cart's account."""

    contact_id: int
    approve_assigned: bool
    approve_all: bool
    maximum_approval_value: Decimal | None


def needs_approval(
    *, cart_approver_id: int | None, no_approval_below_value: Decimal | None, total: Decimal
) -> bool:
    """CM10 "Cart Approver" and "No Approval Below Value": a shopper with an approver submits
    carts for approval unless the cart is below the value, in which case it "will flow through
    the system as though it was for a shopper contact with no approval required"."""
    if cart_approver_id is None:
        return False
    return no_approval_below_value is None or total >= no_approval_below_value


def sees_cart(
    *, approver: ApproverRights, shopper_id: int, shopper_approver_id: int | None
) -> bool:
    """CM10 "Approve Assigned" (the carts of shoppers assigned to this approver) and "Approve
    All" (every shopper of the account). Nobody approves their own cart."""
    if shopper_id == approver.contact_id:
        return False
    if approver.approve_all:
        return True
    return approver.approve_assigned and shopper_approver_id == approver.contact_id


def approval_refusals(
    *, approver: ApproverRights, shopper_id: int, total: Decimal
) -> list[DomainError]:
    """An approver cannot approve their own cart, nor one above their own CM10 "Maximum
    Approval Value"."""
    if shopper_id == approver.contact_id:
        return [
            DomainError(
                ErrorCode.NOT_PERMITTED, "You cannot approve your own cart", field=["cartId"]
            )
        ]
    limit = approver.maximum_approval_value
    if limit is not None and total > limit:
        return [
            DomainError(
                ErrorCode.LIMIT_EXCEEDED,
                f"The cart value {total} is above your maximum approval value {limit}",
                field=["cartId"],
            )
        ]
    return []


def emails_approver(*, shopper_email_approver: bool, approver_email_approver: bool) -> bool:
    """CM10 "E-Mail Approver": "In order for the approver to get an email regarding the order,
    select this check box for both the Approver's record and the Shopper's record"."""
    return shopper_email_approver and approver_email_approver
