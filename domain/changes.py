"""Typed changes: what a mutation or an ERP record sets, carried from the schema through the
resolvers to the rules and the row writes as a frozen dataclass instead of a string-keyed dict,
so a misspelt field is a type error (and constructing one with an unknown name a `TypeError`).

A field of a change is `UNSET` when the client (or the ERP record) did not send it: an update
leaves that column alone. `None` is an explicit null and clears the column where its rules
allow. Every change dataclass defaults each field to `UNSET`; `set_fields` gives the fields a
change does set, by column name, for the row write and the column limits
(`models.column_limits`).
"""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import TYPE_CHECKING, Any, Final, TypeAlias, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    # Any change dataclass.
    Changes: TypeAlias = DataclassInstance

T = TypeVar("T")


class Unset(Enum):
    """Not sent: the one value that means "leave this field as it is"."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset.UNSET

# A field of a change: a value, None (cleared) or UNSET (not changed).
Maybe: TypeAlias = T | Unset


def given(value: T | Unset) -> T | None:
    """The value a change sets, None when it sets none: what a rule checks (an unsent field,
    like a null, has nothing to refuse)."""
    return None if value is UNSET else value


def after(value: T | Unset, current: T) -> T:
    """A field's value after a change: the change's, or `current` where it sets none."""
    return current if value is UNSET else value


def set_fields(changes: Changes) -> dict[str, Any]:
    """The fields `changes` sets, by name: the columns a row write changes."""
    return {
        field.name: getattr(changes, field.name)
        for field in dataclasses.fields(changes)
        if getattr(changes, field.name) is not UNSET
    }


def set_names(changes: Changes) -> set[str]:
    """The names of the fields `changes` sets (which ERP-kept or staff-only fields it touches)."""
    return set(set_fields(changes))
