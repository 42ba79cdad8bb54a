"""Search terms are text, not LIKE patterns: `%` and `_` match themselves, on every search
(products, accounts, contacts) and both databases. Otherwise `%` matches everything and a
term of wildcards makes the database try every split of every name."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import WorkerRole
from tests.factories import PASSWORD, make_account, make_contact, make_product, make_worker
from tests.graphql_client import GraphQLClient

SEARCHES = {
    "products": "{ products(filter: {search: $term}) { nodes { name } } }",
    "accounts": "{ accounts(filter: {search: $term}) { nodes { name: companyName } } }",
    "contacts": "{ contacts(filter: {search: $term}) { nodes { name } } }",
}


@pytest.mark.parametrize("search", SEARCHES)
@pytest.mark.parametrize(
    ("term", "found"), [("50%", ["50% off"]), ("a_b", ["a_b"]), ("%", ["50% off"])]
)
async def test_wildcards_in_a_term_are_literal(
    client: GraphQLClient, session: AsyncSession, search: str, term: str, found: list[str]
) -> None:
    # given names that a wildcard would match too
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    for name in ("50% off", "500 off", "a_b", "axb"):
        await make_product(session, name=name)
        account = await make_account(session, company_name=name)
        await make_contact(session, account=account, name=name)
    token = await client.login("admin", PASSWORD)

    # when the term is searched for
    query = "query($term: String) " + SEARCHES[search]
    data = await client.execute(query, {"term": term}, token=token)

    # then only the names holding the term as written are found
    assert sorted(node["name"] for node in data[search]["nodes"]) == found


SWITCHABLE = "{ viewer { switchableAccounts(filter: {search: $term}) { totalCount } } }"


@pytest.mark.parametrize("search", [*SEARCHES, "switchableAccounts"])
async def test_a_term_over_the_search_limit_is_refused(
    client: GraphQLClient, session: AsyncSession, search: str
) -> None:
    # given a caller who may search everything
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    token = await client.login("admin", PASSWORD)
    query = "query($term: String) " + SEARCHES.get(search, SWITCHABLE)

    # when the term is one character over the limit, and at it (blanks around it do not count)
    over = await client.errors(query, {"term": "y" * 101}, token=token)
    at = await client.raw(query, {"term": f"  {'y' * 100}  "}, token=token)

    # then only the longer one is refused, with the limit in the error
    assert [(e["message"], e["extensions"]) for e in over] == [
        (
            "search must be at most 100 characters, got 101",
            {"code": "TOO_LONG", "maxLength": 100},
        )
    ]
    assert "errors" not in at.json()
