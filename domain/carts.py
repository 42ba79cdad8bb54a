"""Rules of a cart's details (PointForce CM10 "Customer Accounts": ship-to and future orders;
"Maintain Cost Centre Information") and of who may see a cart."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from domain.access import Viewer
from domain.changes import UNSET, Maybe
from domain.errors import DomainError, ErrorCode

MAX_QUANTITY = 1_000_000
# A cart (and the order it becomes) holds at most this many lines, so `Cart.lines` and
# `Order.lines` stay plain lists a client reads whole (docs/api-conventions.md, "Lists").
MAX_CART_LINES = 500


@dataclass(frozen=True)
class ShipToRights:
    """CM10 "Select Ship To", "Allow Manual Ship to" and "Allow Future Orders". A worker acting
    for an account has them all (`WORKER_SHIP_TO_RIGHTS`)."""

    may_select_ship_to: bool
    may_enter_manual_ship_to: bool
    allow_future_orders: bool


WORKER_SHIP_TO_RIGHTS = ShipToRights(True, True, True)


def check_quantity(field: list[str], quantity: int) -> list[DomainError]:
    """A line holds at least one and at most `MAX_QUANTITY` units."""
    if not 1 <= quantity <= MAX_QUANTITY:
        return [
            DomainError(
                ErrorCode.INVALID,
                f"Quantity must be between 1 and {MAX_QUANTITY}",
                field=field,
            )
        ]
    return []


def check_line_count(field: list[str], count: int) -> list[DomainError]:
    """A cart holds at most `MAX_CART_LINES` products."""
    if count > MAX_CART_LINES:
        return [
            DomainError(
                ErrorCode.LIMIT_EXCEEDED,
                f"A cart holds at most {MAX_CART_LINES} products; this one would hold {count}",
                field=field,
            )
        ]
    return []


def check_ship_to(
    *, rights: ShipToRights, choosing_address: bool, entering_address: bool
) -> list[DomainError]:
    """CM10: "Select Ship To" lets the contact pick any of the account's ship-to addresses;
    "Allow Manual Ship to" lets it type one in. Without either it keeps its default ship-to."""
    if choosing_address and entering_address:
        return [
            DomainError(
                ErrorCode.INVALID, "Give either addressId or address, not both", field=["address"]
            )
        ]
    if choosing_address and not rights.may_select_ship_to:
        return [
            DomainError(
                ErrorCode.NOT_PERMITTED,
                "You may not choose the ship-to address for this account",
                field=["addressId"],
            )
        ]
    if entering_address and not rights.may_enter_manual_ship_to:
        return [
            DomainError(
                ErrorCode.NOT_PERMITTED,
                "You may not enter a ship-to address for this account",
                field=["address"],
            )
        ]
    return []


@dataclass(frozen=True)
class CartDetailsChanges:
    """What `setCartDetails` sets of a cart: PO number, cost centre, notes, shipping method and
    date required."""

    po_number: Maybe[str | None] = UNSET
    cost_centre: Maybe[str | None] = UNSET
    notes: Maybe[str | None] = UNSET
    shipping_method: Maybe[str | None] = UNSET
    date_required: Maybe[date | None] = UNSET


def check_date_required(
    *, rights: ShipToRights, date_required: date | None, today: date
) -> list[DomainError]:
    """CM10 "Allow Future Orders": only then is "Date Required" offered, and it cannot be in
    the past."""
    if date_required is None:
        return []
    if not rights.allow_future_orders:
        return [
            DomainError(
                ErrorCode.NOT_PERMITTED,
                "Future orders are not enabled for you at this account",
                field=["dateRequired"],
            )
        ]
    if date_required < today:
        return [
            DomainError(
                ErrorCode.INVALID, "The date required cannot be in the past", field=["dateRequired"]
            )
        ]
    return []


def check_cost_centre(*, cost_centre: str | None, known: Collection[str]) -> list[DomainError]:
    """A cart's cost centre comes from the account's list when the account keeps one."""
    if cost_centre is None or not known or cost_centre in known:
        return []
    return [
        DomainError(
            ErrorCode.INVALID,
            f"{cost_centre} is not one of the account's cost centres",
            field=["costCentre"],
        )
    ]


def owns_cart(viewer: Viewer, *, contact_id: int | None, worker_id: int | None) -> bool:
    """The cart's shopper, or the worker who keeps it for the account."""
    if viewer.contact_id is not None:
        return contact_id == viewer.contact_id
    return viewer.worker_id is not None and worker_id == viewer.worker_id
