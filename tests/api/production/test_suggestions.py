"""FIELD_SUGGESTIONS=false hides every "Did you mean" hint, not only those for fields: with
introspection off, hints for arguments, enum values, input fields and type names would still
let a client map the schema by guessing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import ClientWith
from tests.graphql_client import GraphQLClient

# (document, variables): each mistake is one letter off a real name, so graphql-core suggests it.
MISTAKES: dict[str, tuple[str, dict[str, Any]]] = {
    "field": ("{ viewr { kind } }", {}),
    "argument": ('{ account(cod: "A1") { id } }', {}),
    "enum value": ("{ accounts(filter: {searchField: COMPANY_NAM}) { totalCount } }", {}),
    "input field": ('{ accounts(filter: {serch: "a"}) { totalCount } }', {}),
    "type name": ("query($f: AccountFilte) { accounts(filter: $f) { totalCount } }", {}),
    "enum value in variables": (
        "query($f: AccountFilter) { accounts(filter: $f) { totalCount } }",
        {"f": {"searchField": "COMPANY_NAM"}},
    ),
    "input field in variables": (
        "query($f: AccountFilter) { accounts(filter: $f) { totalCount } }",
        {"f": {"serch": "a"}},
    ),
}


@pytest.mark.parametrize("mistake", MISTAKES)
async def test_no_suggestion_of_any_kind_when_switched_off(
    client: GraphQLClient, client_with: ClientWith, mistake: str
) -> None:
    # given a document one letter off a real name
    document, variables = MISTAKES[mistake]

    # when it is sent with suggestions on and off
    on = await client.errors(document, variables)
    async with client_with(field_suggestions=False) as off_client:
        off = await off_client.errors(document, variables)

    # then only the server with suggestions on names the real thing
    assert any("Did you mean" in e["message"] for e in on)
    assert off and not any("Did you mean" in e["message"] for e in off)
