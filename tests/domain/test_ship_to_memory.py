"""Seed 000: which typed-in ship-to addresses an account keeps."""

from __future__ import annotations

import pytest

from domain.customers import remembers_ship_to, same_postal_address

SITE = {"name": "Site 4", "line1": "4 Quarry Road", "city": "Penrith", "postcode": "2750"}


@pytest.mark.parametrize(
    ("other", "same"),
    [
        (SITE, True),
        ({**SITE, "line1": " 4  quarry ROAD "}, True),
        ({**SITE, "line2": None}, True),
        ({**SITE, "line2": "Gate B"}, False),
        ({**SITE, "postcode": "2751"}, False),
        ({**SITE, "name": "Site 5"}, False),
    ],
)
def test_one_address_typed_twice_is_the_same_address(other: dict[str, str], same: bool) -> None:
    assert same_postal_address(SITE, other) is same


@pytest.mark.parametrize(
    ("kept_by_erp", "known", "remembered"),
    [
        (False, [], True),
        (False, [{**SITE, "city": "PENRITH"}], False),
        (True, [], False),
    ],
)
def test_a_new_ship_to_is_remembered_unless_the_erp_keeps_the_account(
    kept_by_erp: bool, known: list[dict[str, str]], remembered: bool
) -> None:
    assert remembers_ship_to(kept_by_erp=kept_by_erp, entered=SITE, known=known) is remembered
