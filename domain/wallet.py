"""Wallet-style data of seed 002: favourites lists, saved searches, shipping accounts."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

from domain.errors import DomainError
from domain.validation import check_length, check_required


class FavouritesAccess(Enum):
    NONE = "NONE"
    READ = "READ"
    EDIT = "EDIT"


def favourites_access(
    *,
    viewer_contact_id: int | None,
    owner_contact_id: int,
    is_shared: bool,
    is_member: bool,
    manages_account: bool,
    restricted_for_viewer: bool,
) -> FavouritesAccess:
    """Seed 002 "Favorites Lists": a contact's list is private unless shared with its account.
    Staff and the account's sales rep look after every list of the account. PointForce CM10
    "Restricted Favourites List": the list a membership is restricted to is read-only for that
    contact, even when it owns it (it was set up for them)."""
    if restricted_for_viewer:
        return FavouritesAccess.READ
    if manages_account and viewer_contact_id is None:
        return FavouritesAccess.EDIT
    if viewer_contact_id == owner_contact_id and is_member:
        return FavouritesAccess.EDIT
    if is_shared and (is_member or manages_account):
        return FavouritesAccess.READ
    return FavouritesAccess.NONE


def validate_favourites_list(values: Mapping[str, Any], *, creating: bool) -> list[DomainError]:
    errors: list[DomainError] = []
    if creating or "name" in values:
        errors += check_required("name", values.get("name"))
    errors += check_length("name", values.get("name"), 100)
    return errors


class SavedSearchGrid(Enum):
    """The data grids whose searches can be saved (seed 002 "Saved Searches": "on most data grid
    view pages"); each grid's filter is that grid's GraphQL filter input."""

    ACCOUNTS = "ACCOUNTS"
    CONTACTS = "CONTACTS"
    ORDERS = "ORDERS"
    CARTS = "CARTS"
    PRODUCTS = "PRODUCTS"


def validate_saved_search(values: Mapping[str, Any]) -> list[DomainError]:
    return check_required("name", values.get("name")) + check_length(
        "name", values.get("name"), 100
    )


def validate_shipping_account(values: Mapping[str, Any], *, creating: bool) -> list[DomainError]:
    """Seed 002 "Shipping Accounts": a third-party carrier account (carrier, account number and
    a name) that the customer bills shipping to."""
    errors: list[DomainError] = []
    for name, label, maximum in (
        ("carrier", "carrier", 64),
        ("account_number", "accountNumber", 64),
        ("name", "name", 100),
    ):
        if creating or name in values:
            errors += check_required(label, values.get(name))
        errors += check_length(label, values.get(name), maximum)
    return errors


def allowed_by_restricted_list(*, product_id: int, restricted_to: frozenset[int] | None) -> bool:
    """PointForce CM10 "Restricted Favourites List": "that shopper can only select products from
    that favourites list for their shopping carts". `restricted_to` is the list's product ids,
    None when the shopper's membership names no list (every product may be selected)."""
    return restricted_to is None or product_id in restricted_to
