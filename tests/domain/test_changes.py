"""Typed changes (domain.changes): a misspelt field cannot be built, an unsent one is not set."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest

from domain.budgets import BudgetChanges
from domain.carts import CartDetailsChanges
from domain.changes import UNSET, after, given, set_fields
from domain.contracts import ContractChanges
from domain.customers import AccountChanges, AddressChanges, ContactChanges, MembershipChanges
from domain.wallet import FavouritesListChanges, ShippingAccountChanges
from domain.webhooks import EndpointChanges

CHANGES: list[type[Any]] = [
    AccountChanges,
    AddressChanges,
    ContactChanges,
    MembershipChanges,
    FavouritesListChanges,
    ShippingAccountChanges,
    BudgetChanges,
    CartDetailsChanges,
    EndpointChanges,
    ContractChanges,
]


@pytest.mark.parametrize("changes", CHANGES)
def test_a_misspelt_field_is_a_construct_error(changes: type[Any]) -> None:
    with pytest.raises(TypeError, match="tax_numbr"):
        changes(tax_numbr="ABN 1")


@pytest.mark.parametrize("changes", CHANGES)
def test_a_change_is_frozen_and_sets_nothing_unless_told(changes: type[Any]) -> None:
    empty = changes()
    first = dataclasses.fields(empty)[0].name

    assert set_fields(empty) == {}
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(empty, first, None)


def test_only_the_fields_sent_are_set_and_an_explicit_null_is_one_of_them() -> None:
    changes = AccountChanges(email="ap@example.com", tax_number=None)

    assert set_fields(changes) == {"email": "ap@example.com", "tax_number": None}
    assert changes.balance is UNSET


def test_a_rule_reads_an_unsent_field_as_no_value_and_a_merge_keeps_the_stored_one() -> None:
    changes = MembershipChanges(maximum_approval_value=None)

    assert given(changes.cart_approver_id) is None
    assert after(changes.no_approval_below_value, Decimal("50")) == Decimal("50")
    assert after(changes.maximum_approval_value, Decimal("900")) is None
