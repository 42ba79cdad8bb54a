"""From a Strawberry input to the plain values a resolver takes."""

from __future__ import annotations

import dataclasses
from typing import Any

from graphql import GraphQLError
from strawberry import UNSET

from domain.errors import DomainError, ErrorCode
from domain.validation import to_camel
from resolvers.search import MAX_SEARCH_LENGTH
from schema.relay import decode_id_of


def search_text(value: str | None, *, argument: str = "search") -> str | None:
    """A search term as the client sent it, refused when longer than any search allows (see
    `resolvers.search`): a top-level error, as for every argument of a query."""
    if value is not None and len(value.strip()) > MAX_SEARCH_LENGTH:
        raise GraphQLError(
            f"{argument} must be at most {MAX_SEARCH_LENGTH} characters, got {len(value.strip())}",
            extensions={"code": "TOO_LONG", "maxLength": MAX_SEARCH_LENGTH},
        )
    return value


# What an update input holds beside its changes: the ID of the row it changes.
ROW_ID = frozenset({"id"})


def set_values(input_object: Any, *, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The fields the client actually sent (absent fields are UNSET), by Python name: the
    arguments of a change dataclass (`domain.changes`), e.g. `AccountChanges(**set_values(input,
    exclude=ROW_ID))`, whose unsent fields stay UNSET. A field of the input that the dataclass lacks
    is a `TypeError` there, so an input and its change cannot drift apart silently."""
    return {
        f.name: getattr(input_object, f.name)
        for f in dataclasses.fields(input_object)
        if f.name not in exclude and getattr(input_object, f.name) is not UNSET
    }


def maybe_key(global_id: str, type_name: str) -> int | None:
    """The integer key behind a global ID of `type_name`, or None when the ID is malformed or
    names another type (for lists, where the resolver reports each bad entry on its path)."""
    try:
        return decode_id_of(global_id, type_name)
    except GraphQLError:
        return None


def key_of(global_id: str | None, type_name: str, *, field: str) -> int | None:
    """The integer key behind a global ID of `type_name`; a refusal on `field` when the ID is
    malformed or names another type. None stays None (a cleared reference)."""
    if global_id is None:
        return None
    key = maybe_key(global_id, type_name)
    if key is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No {type_name} with ID {global_id}", field=[field])
    return key


def with_keys(values: dict[str, Any], references: dict[str, str]) -> dict[str, Any]:
    """Replace the global IDs in `values` (by Python name -> type name) with integer keys."""
    for name, type_name in references.items():
        if name in values:
            values[name] = key_of(values[name], type_name, field=to_camel(name))
    return values
