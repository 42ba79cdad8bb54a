"""Wallet-style data of seed 002: favourites lists, saved searches, shipping accounts and saved
credit cards, and who may use them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from domain.access import Viewer, ViewerKind
from domain.changes import UNSET, Maybe, given
from domain.errors import DomainError
from domain.validation import check_required


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


@dataclass(frozen=True)
class FavouritesListChanges:
    """What creating or editing a favourites list sets."""

    name: Maybe[str | None] = UNSET
    is_shared: Maybe[bool | None] = UNSET


def validate_favourites_list(
    changes: FavouritesListChanges, *, creating: bool
) -> list[DomainError]:
    errors: list[DomainError] = []
    if creating or changes.name is not UNSET:
        errors += check_required("name", given(changes.name))
    return errors


class SavedSearchGrid(Enum):
    """The data grids whose searches can be saved (seed 002 "Saved Searches": "on most data grid
    view pages"); each grid's filter is that grid's GraphQL filter input."""

    ACCOUNTS = "ACCOUNTS"
    CONTACTS = "CONTACTS"
    ORDERS = "ORDERS"
    CARTS = "CARTS"
    PRODUCTS = "PRODUCTS"


def validate_saved_search(*, name: str | None) -> list[DomainError]:
    return check_required("name", name)


@dataclass(frozen=True)
class ShippingAccountChanges:
    """What adding or editing a shipping account sets."""

    carrier: Maybe[str | None] = UNSET
    account_number: Maybe[str | None] = UNSET
    name: Maybe[str | None] = UNSET


def validate_shipping_account(
    changes: ShippingAccountChanges, *, creating: bool
) -> list[DomainError]:
    """Seed 002 "Shipping Accounts": a third-party carrier account (carrier, account number and
    a name) that the customer bills shipping to."""
    errors: list[DomainError] = []
    for label, value in (
        ("carrier", changes.carrier),
        ("accountNumber", changes.account_number),
        ("name", changes.name),
    ):
        if creating or value is not UNSET:
            errors += check_required(label, given(value))
    return errors


def may_hold_card(
    viewer: Viewer, *, account_id: int, card_contact_id: int | None, manages_account: bool
) -> bool:
    """Seed 002 "Credit Cards": "Workers and Contacts can create credit card on the website
    during the cart checkout or invoice payment process", so a saved card is the payment
    instrument of who saved it. The contact who saved it sees, pays with and deletes it while a
    member of the account; a card a worker saved for the account belongs to the workers who
    manage the account (staff, its sales rep). Staff look after every card (to remove one
    reported stolen). Nobody else sees it, not even the account's administrators (CM10 gives
    them contacts, memberships and addresses, not payments) or integrators."""
    if viewer.is_staff:
        return True
    if viewer.kind is ViewerKind.CONTACT:
        return card_contact_id == viewer.contact_id and account_id in viewer.memberships
    if viewer.kind is ViewerKind.WORKER:
        return card_contact_id is None and manages_account
    return False


def may_change_shipping_account(
    viewer: Viewer, *, created_by_contact_id: int | None, manages_account: bool
) -> bool:
    """Seed 002 "Shipping Accounts are 3rd party shipping accounts created by Customers during
    the checkout process": the customer's (the account's) carrier account, which every contact
    of the account may use at checkout. Changing or removing one is for the contact who added
    it and for who manages the account (its administrators, staff, its sales rep), not for
    every shopper."""
    if manages_account:
        return True
    return viewer.contact_id is not None and viewer.contact_id == created_by_contact_id


def allowed_by_restricted_list(*, product_id: int, restricted_to: frozenset[int] | None) -> bool:
    """PointForce CM10 "Restricted Favourites List": "that shopper can only select products from
    that favourites list for their shopping carts". `restricted_to` is the list's product ids,
    None when the shopper's membership names no list (every product may be selected)."""
    return restricted_to is None or product_id in restricted_to
