"""Seed 002 favourites lists: private, shared, and a membership's restricted (read-only) list."""

from __future__ import annotations

import pytest

from domain.access import Viewer, ViewerKind
from domain.enums import ApiKeyScope, MembershipRole, WorkerRole
from domain.wallet import (
    FavouritesAccess,
    allowed_by_restricted_list,
    favourites_access,
    may_change_shipping_account,
    may_hold_card,
)

OWNER = 1
OTHER = 2


@pytest.mark.parametrize(
    ("viewer", "shared", "member", "manages", "restricted", "access"),
    [
        (OWNER, False, True, False, False, FavouritesAccess.EDIT),
        (OWNER, False, True, False, True, FavouritesAccess.READ),  # restricted: read-only
        (OTHER, False, True, False, False, FavouritesAccess.NONE),  # private
        (OTHER, True, True, False, False, FavouritesAccess.READ),  # shared with the account
        (OTHER, True, True, True, False, FavouritesAccess.READ),  # an administrator reads it
        (OTHER, False, True, False, True, FavouritesAccess.READ),  # restricted for OTHER
        (None, False, False, True, False, FavouritesAccess.EDIT),  # staff or the sales rep
        (OWNER, False, False, False, False, FavouritesAccess.NONE),  # no longer a member
    ],
)
def test_favourites_access(
    viewer: int | None,
    shared: bool,
    member: bool,
    manages: bool,
    restricted: bool,
    access: FavouritesAccess,
) -> None:
    assert (
        favourites_access(
            viewer_contact_id=viewer,
            owner_contact_id=OWNER,
            is_shared=shared,
            is_member=member,
            manages_account=manages,
            restricted_for_viewer=restricted,
        )
        is access
    )


@pytest.mark.parametrize(
    ("product_id", "restricted_to", "allowed"),
    [
        (1, None, True),  # no restricted list: any product
        (1, frozenset({1, 2}), True),  # on the list
        (3, frozenset({1, 2}), False),  # not on the list
        (1, frozenset(), False),  # an empty list allows nothing
    ],
)
def test_allowed_by_restricted_list(
    product_id: int, restricted_to: frozenset[int] | None, allowed: bool
) -> None:
    assert allowed_by_restricted_list(product_id=product_id, restricted_to=restricted_to) is allowed


ACCOUNT = 10
SAVER = Viewer(
    kind=ViewerKind.CONTACT, contact_id=OWNER, memberships={ACCOUNT: MembershipRole.SHOPPER}
)
COLLEAGUE = Viewer(
    kind=ViewerKind.CONTACT, contact_id=OTHER, memberships={ACCOUNT: MembershipRole.SHOPPER}
)
ADMINISTRATOR = Viewer(
    kind=ViewerKind.CONTACT, contact_id=OTHER, memberships={ACCOUNT: MembershipRole.ADMINISTRATOR}
)
FORMER_MEMBER = Viewer(kind=ViewerKind.CONTACT, contact_id=OWNER)
SERVICE = Viewer(kind=ViewerKind.WORKER, worker_id=1, worker_role=WorkerRole.CUSTOMER_SERVICE)
REP = Viewer(kind=ViewerKind.WORKER, worker_id=2, worker_role=WorkerRole.SALES_REP, rep_code="R")
INTEGRATOR = Viewer(kind=ViewerKind.API_KEY, api_key_id=1, api_scopes=frozenset(ApiKeyScope))


@pytest.mark.parametrize(
    ("viewer", "card_contact_id", "manages", "holds"),
    [
        (SAVER, OWNER, False, True),  # the contact who saved it
        (COLLEAGUE, OWNER, False, False),  # another shopper of the account
        (ADMINISTRATOR, OWNER, True, False),  # the account's administrator
        (FORMER_MEMBER, OWNER, False, False),  # its saver, no longer a member
        (SAVER, None, False, False),  # a card a worker saved
        (SERVICE, OWNER, True, True),  # staff: every card
        (REP, None, True, True),  # the account's rep: the workers' cards
        (REP, OWNER, True, False),  # but not a contact's
        (REP, None, False, False),  # nor another rep's account's
        (INTEGRATOR, None, False, False),  # integrators: none
    ],
)
def test_may_hold_card(
    viewer: Viewer, card_contact_id: int | None, manages: bool, holds: bool
) -> None:
    assert (
        may_hold_card(
            viewer, account_id=ACCOUNT, card_contact_id=card_contact_id, manages_account=manages
        )
        is holds
    )


@pytest.mark.parametrize(
    ("viewer", "created_by", "manages", "may"),
    [
        (SAVER, OWNER, False, True),  # who added it
        (COLLEAGUE, OWNER, False, False),  # another shopper
        (COLLEAGUE, None, False, False),  # a worker's: not for a shopper
        (ADMINISTRATOR, OWNER, True, True),  # the account's managers
        (REP, None, True, True),
    ],
)
def test_may_change_shipping_account(
    viewer: Viewer, created_by: int | None, manages: bool, may: bool
) -> None:
    assert (
        may_change_shipping_account(
            viewer, created_by_contact_id=created_by, manages_account=manages
        )
        is may
    )
