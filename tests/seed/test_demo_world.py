"""The demo world as its users meet it: every product a demo buyer can see has a price for that
buyer (issue 13: the storefront's first products showed `price: null` to visitors, and Frank's
restricted favourites list held only unpriced products, so out of the box he could buy nothing)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from core.settings import Settings
from loaders.offers import REGION_HEADER
from resolvers.system_context import system_context
from seed.demo import DEMO_PASSWORD, seed_demo_world
from tests.graphql_client import GraphQLClient

PAGE = """
query Page($after: String) {
  products(filter: {availableOnly: true}, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { sku price }
  }
}
"""
LOGINS = """
query Logins($after: String) {
  contacts(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { username }
  }
}
"""
MEMBERSHIPS = """
query {
  viewer {
    activeAccount { code }
    memberships { nodes {
      account { id code }
      restrictedProductsApply
      restrictedFavouritesList { name items(first: 100) { nodes { sku } } }
    } }
  }
}
"""
SWITCH = """
mutation Switch($id: ID!) { switchAccount(input: {accountId: $id}) { errors { code message } } }
"""
PRICES = "query Prices($sku: String!) { product(sku: $sku) { price } }"
WORKERS = ("admin", "service", "rep1", "rep2")


async def _pages(client: GraphQLClient, query: str, field: str, **kwargs: Any) -> list[Any]:
    nodes: list[Any] = []
    after = None
    while True:
        page = (await client.execute(query, {"after": after}, **kwargs))[field]
        nodes += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


async def _unpriced(client: GraphQLClient, **kwargs: Any) -> tuple[int, list[str]]:
    """(products the caller can buy, the SKUs among them without a price for it)."""
    products = await _pages(client, PAGE, "products", **kwargs)
    return len(products), [p["sku"] for p in products if p["price"] is None]


async def test_every_product_a_demo_user_can_see_has_a_price_for_that_user(
    client: GraphQLClient, engine: AsyncEngine, settings: Settings
) -> None:
    # given the demo world, and every demo login
    async with system_context(settings) as context:
        await seed_demo_world(context)
    admin = await client.login("admin", DEMO_PASSWORD)
    contacts = [n["username"] for n in await _pages(client, LOGINS, "contacts", token=admin)]
    usernames = [*WORKERS, *(u for u in contacts if u is not None)]
    assert {"joe", "jane", "mary", "kathy", "bill", "frank", "alice"} <= set(usernames)

    # when anonymous visitors (default and region WA) and each login, at each account it buys
    # for, list what they can buy
    problems: dict[str, list[str]] = {}
    for region in (None, "WA"):
        headers = {REGION_HEADER: region} if region else None
        count, unpriced = await _unpriced(client, headers=headers)
        assert count > 1000
        if unpriced:
            problems[f"anonymous {region or ''}"] = unpriced
    restricted_lists: dict[str, list[str]] = {}
    # Buyers alike in what prices them (account, SU23 restrictions) are walked once.
    walked: set[tuple[str | None, bool]] = set()
    for username in usernames:
        token = await client.login(username, DEMO_PASSWORD)
        viewer = (await client.execute(MEMBERSHIPS, token=token))["viewer"]
        for membership in viewer["memberships"]["nodes"] or [None]:
            code = membership["account"]["code"] if membership else None
            where = f"{username}@{code}" if code else username
            if membership is not None and code != viewer["activeAccount"]["code"]:
                switched = await client.execute(
                    SWITCH, {"id": membership["account"]["id"]}, token=token
                )
                assert switched["switchAccount"]["errors"] == []
            listed = membership and membership["restrictedFavouritesList"]
            if listed:
                restricted_lists[where] = [item["sku"] for item in listed["items"]["nodes"]]
                for sku in restricted_lists[where]:
                    price = await client.execute(PRICES, {"sku": sku}, token=token)
                    if price["product"]["price"] is None:
                        problems.setdefault(f"{where} restricted list", []).append(sku)
            alike = (code, bool(membership and membership["restrictedProductsApply"]))
            if alike in walked:
                continue
            walked.add(alike)
            _, unpriced = await _unpriced(client, token=token)
            if unpriced:
                problems[where] = unpriced

    # then nobody meets a product without a price, and Frank's list has something to buy
    assert problems == {}
    assert restricted_lists == {
        "frank@ABC1234": ["DEMO-BOLT-M10", "DEMO-NUT-M10", "DEMO-WASHER-M10"]
    }
