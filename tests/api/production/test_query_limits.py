"""Query limits as a client meets them: depth, aliases, tokens, cost and page size, and that
fragments and inline fragments cannot get around any of them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.extensions.parser_cache import _get_parse_cache
from strawberry.extensions.validation_cache import DEFAULT_MAXSIZE, _get_validate_cache

from domain.enums import WorkerRole
from tests.conftest import ClientWith
from tests.factories import PASSWORD, make_worker
from tests.graphql_client import GraphQLClient

# Strawberry counts a root field as depth 0: this reaches depth 13 (`id` under the last `nodes`).
TOO_DEEP = """
query TooDeep {
  accounts { nodes { memberships { nodes { contact { memberships { nodes { account {
    memberships { nodes { contact { memberships { nodes { id } } } } } } } } } } } } }
}
"""

TOO_DEEP_THROUGH_FRAGMENTS = """
query TooDeep { accounts { nodes { ...AccountDeep } } }
fragment AccountDeep on Account { memberships { nodes { contact { ...ContactDeep } } } }
fragment ContactDeep on Contact {
  memberships { nodes { account { memberships { nodes {
    ... on AccountMembership { contact { memberships { nodes { id } } } } } } } } }
}
"""

DEEP_ENOUGH = """
query DeepEnough {
  accounts(first: 1) { nodes { memberships(first: 1) { nodes { contact {
    memberships(first: 1) { nodes { account { memberships(first: 1) { nodes { contact {
      memberships(first: 1) { totalCount } } } } } } } } } } } }
}
"""

DEPTH_ERROR = {
    "message": "'TooDeep' exceeds maximum operation depth of 12",
    "extensions": {"code": "QUERY_DEPTH_EXCEEDED"},
}
ALIAS_ERROR = {
    "message": "31 aliases found. Allowed: 30",
    "extensions": {"code": "ALIAS_LIMIT_EXCEEDED"},
}


def without_locations(errors: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{k: v for k, v in error.items() if k != "locations"} for error in errors]


async def test_a_query_deeper_than_the_limit_is_refused_before_it_runs(
    client: GraphQLClient,
) -> None:
    # when a query reaches depth 13, directly or through fragments and inline fragments
    direct = await client.errors(TOO_DEEP)
    through_fragments = await client.errors(TOO_DEEP_THROUGH_FRAGMENTS)

    # then both are refused with the depth limit's message
    assert without_locations(direct) == [DEPTH_ERROR]
    assert without_locations(through_fragments) == [DEPTH_ERROR]


async def test_a_query_at_the_depth_limit_runs(client: GraphQLClient) -> None:
    # when a query reaches depth 12 (anonymous, so the API itself refuses)
    errors = await client.errors(DEEP_ENOUGH)

    # then it passed validation and reached the resolver
    assert [e["extensions"] for e in errors] == [{"code": "UNAUTHENTICATED"}]


def aliases(count: int, prefix: str = "a") -> str:
    return " ".join(f"{prefix}{i}: __typename" for i in range(count))


async def test_more_aliases_than_the_limit_are_refused(client: GraphQLClient) -> None:
    # when a document has 31 aliases: directly, or 16 in a fragment spread twice, or split over
    # inline fragments
    direct = await client.errors(f"{{ {aliases(31)} }}")
    spread_twice = await client.errors(
        f"query {{ ...F viewer {{ kind }} x: viewer {{ ...G }} }} "
        f"fragment F on Query {{ {aliases(15)} }} "
        f"fragment G on Viewer {{ {aliases(15)} }}"
    )
    inline = await client.errors(
        f"{{ ... on Query {{ {aliases(16)} }} ... {{ {aliases(15, 'b')} }} }}"
    )

    # then each is refused, counting every alias wherever it stands
    assert direct == [ALIAS_ERROR]
    assert spread_twice == [ALIAS_ERROR]
    assert inline == [ALIAS_ERROR]


async def test_thirty_aliases_are_allowed(client: GraphQLClient) -> None:
    data = await client.execute(f"{{ {aliases(30)} }}")

    assert len(data) == 30


async def test_a_document_with_more_tokens_than_the_limit_is_not_parsed(
    client: GraphQLClient,
) -> None:
    # when a document has more than 5,000 tokens
    errors = await client.errors("{ " + "__typename " * 5_000 + "}")

    # then parsing stops with the limit's message
    assert without_locations(errors) == [
        {
            "message": "Syntax Error: Document contains more than 5000 tokens. Parsing aborted.",
            "extensions": {"code": "TOKEN_LIMIT_EXCEEDED"},
        }
    ]


async def test_every_executed_response_reports_its_cost(client: GraphQLClient) -> None:
    # when a query asks for one connection with the default page size and one of 5
    response = await client.raw("{ accounts { totalCount } contacts(first: 5) { totalCount } }")

    # then the cost is 1 + 20 + 5
    assert response.json()["extensions"] == {
        "cost": {"requestedQueryCost": 26, "maximumQueryCost": 10_000}
    }


COSTLY = """
query Costly($size: Int) {
  ...Accounts
  ... on Query { contacts(first: $size) { totalCount } }
}
fragment Accounts on Query { accounts(first: 100) { totalCount } }
"""


async def test_a_query_costing_more_than_the_maximum_is_refused_before_it_runs(
    client_with: ClientWith,
) -> None:
    async with client_with(max_query_cost=150) as client:
        # when connections in a fragment and an inline fragment cost 1 + 100 + 60
        response = await client.raw(COSTLY, {"size": 60})
        # and the same with a smaller page
        cheap = await client.raw(COSTLY, {"size": 49})

    # then the first is refused (without running: no UNAUTHENTICATED error) with its cost
    assert response.json() == {
        "data": None,
        "errors": [
            {
                "message": "Query cost 161 exceeds the maximum of 150; ask for smaller pages "
                "(`first`/`last`) or fewer nested connections",
                "extensions": {"code": "QUERY_COST_EXCEEDED"},
            }
        ],
        "extensions": {"cost": {"requestedQueryCost": 161, "maximumQueryCost": 150}},
    }
    # and the second runs
    assert cheap.json()["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
    assert cheap.json()["extensions"]["cost"]["requestedQueryCost"] == 150


async def test_a_page_larger_than_one_hundred_is_an_error_not_a_silent_cut(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a staff worker
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    token = await client.login("admin", PASSWORD)

    # when it asks for 101 accounts
    errors = await client.errors("{ accounts(first: 101) { totalCount } }", token=token)

    # then the page size is refused
    assert without_locations(errors) == [
        {
            "message": "`first` must be between 0 and 100, got 101",
            "path": ["accounts"],
            "extensions": {"code": "PAGE_SIZE_EXCEEDED"},
        }
    ]


async def test_parsing_and_validation_are_cached_across_requests(client: GraphQLClient) -> None:
    # given a query the server has seen once
    query = "query Cached { viewer { kind } }"
    await client.execute(query)
    parse_cache: Any = _get_parse_cache(DEFAULT_MAXSIZE)
    validate_cache: Any = _get_validate_cache(DEFAULT_MAXSIZE)
    parses = parse_cache.cache_info().hits
    validations = validate_cache.cache_info().hits

    # when it comes again
    await client.execute(query)

    # then neither parsing nor validation ran again
    assert parse_cache.cache_info().hits == parses + 1
    assert validate_cache.cache_info().hits == validations + 1
