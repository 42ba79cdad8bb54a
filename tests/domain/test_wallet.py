"""Seed 002 favourites lists: private, shared, and a membership's restricted (read-only) list."""

from __future__ import annotations

import pytest

from domain.wallet import FavouritesAccess, allowed_by_restricted_list, favourites_access

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
