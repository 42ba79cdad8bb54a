"""Every top-level error carries `extensions.code`: limits, malformed IDs and cursors,
pagination mistakes, bad variables and GraphQL's own parse and validation errors alike."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from domain.enums import WorkerRole
from tests.conftest import ClientWith
from tests.factories import PASSWORD, make_product, make_worker
from tests.graphql_client import GraphQLClient

ALIASES = "{ " + " ".join(f"a{i}: __typename" for i in range(31)) + " }"
DEEP = (
    "{ accounts { nodes " + "{ memberships { nodes { contact { memberships { nodes { account " * 3
)
DEEP += "{ id"
DEEP += " }" * (len(DEEP.split("{")) - 1)


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        (DEEP, None, "QUERY_DEPTH_EXCEEDED"),
        (ALIASES, None, "ALIAS_LIMIT_EXCEEDED"),
        ("{ " + "__typename " * 5001 + "}", None, "TOKEN_LIMIT_EXCEEDED"),
        ("{ viewer { kind ", None, "GRAPHQL_PARSE_FAILED"),
        ("{ nosuchfield }", None, "GRAPHQL_VALIDATION_FAILED"),
        ('{ node(id: "bm90LWFuLWlk!") { id } }', None, "INVALID_ID"),
        ('{ products(first: 1, after: "bad") { totalCount } }', None, "INVALID_CURSOR"),
        ("{ products(first: 1, last: 1) { totalCount } }", None, "INVALID_PAGINATION"),
        ("{ products(first: 101) { totalCount } }", None, "PAGE_SIZE_EXCEEDED"),
        (
            "query($p: Decimal!) { products(first: 1) { nodes { id } } x: __typename"
            " @include(if: true) } ",
            None,
            "GRAPHQL_VALIDATION_FAILED",  # a variable defined and never used
        ),
    ],
)
async def test_each_request_error_names_its_code(
    client: GraphQLClient, query: str, variables: dict[str, object] | None, code: str
) -> None:
    response = await client.raw(query, variables)

    errors = response.json()["errors"]
    assert errors, response.text
    assert [error.get("extensions", {}).get("code") for error in errors] == [code] * len(errors)


async def test_a_bad_decimal_variable_is_bad_user_input(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a staff login (the mutation needs one to get as far as its input)
    await make_worker(session, username="codes-admin", role=WorkerRole.ADMIN)
    token = await client.login("codes-admin", PASSWORD)

    # when a Decimal variable holds NaN
    response = await client.raw(
        'mutation($limit: Decimal!) { createAccount(input: {code: "DEC1", companyName: "D",'
        " balanceLimit: $limit}) { errors { code } } }",
        {"limit": "NaN"},
        token=token,
    )

    # then the one error says the input was bad, and names it
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "$limit" in error["message"]


async def test_an_out_of_range_quantity_is_one_error_for_a_whole_page(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a page of several products
    for _ in range(5):
        await make_product(session, level_prices={"A": "1.00"})

    # when a client asks their prices for quantity -1, in the document or in a variable
    literal = await client.raw("{ products(first: 10) { nodes { sku price(quantity: -1) } } }")
    variable = await client.raw(
        "query($q: Int!) { products(first: 10) { nodes { priceBreakdown(quantity: $q) {"
        " rule } } } }",
        {"q": 0},
    )

    # then each gets one validation error before anything runs, not one per product
    for response, value in ((literal, -1), (variable, 0)):
        body = response.json()
        assert body.get("data") is None
        assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [
            (f"`quantity` must be at least 1, got {value}", "BAD_USER_INPUT")
        ]


async def test_a_quantity_is_checked_with_each_request_s_own_variables(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a product, and one document the server has seen before
    await make_product(session, level_prices={"A": "1.00"})
    query = "query($q: Int!) { products(first: 1) { nodes { sku price(quantity: $q) } } }"
    assert "errors" not in (await client.raw(query, {"q": 2})).json()

    # when it comes again with an out-of-range quantity, and then with a valid one
    refused = (await client.raw(query, {"q": -3})).json()
    accepted = (await client.raw(query, {"q": 1})).json()

    # then only the out-of-range one is refused, with its own value
    assert [e["message"] for e in refused["errors"]] == ["`quantity` must be at least 1, got -3"]
    assert "errors" not in accepted and accepted["data"]["products"]["nodes"]


async def test_an_unexpected_error_shown_in_debug_is_an_internal_server_error(
    client_with: ClientWith, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    from schema.customer_types import Viewer

    def broken(*_: object) -> None:
        raise RuntimeError("boom")

    # (`Viewer.of` builds the viewer on both read paths: `schema.plans` falls back to the
    # generic path, which reports the error)
    monkeypatch.setattr(Viewer, "of", classmethod(broken))
    async with client_with(debug=True) as client:
        [error] = (await client.raw("{ viewer { kind } }")).json()["errors"]

    assert (error["message"], error["extensions"]["code"]) == ("boom", "INTERNAL_SERVER_ERROR")
