"""What the benchmark asks the server: each scenario builds its requests from the seeded world."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.loadgen import encode_get, encode_post


@dataclass
class World:
    """What scenarios need to know about the seeded database and the running server."""

    host: str
    port: int
    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    # (world) -> (client index, request number) -> encoded request
    requests: Callable[[World], Callable[[int, int], bytes]]
    # The GraphQL body, for the in-process count of statements and objects (None: not GraphQL).
    body: Callable[[World], tuple[dict[str, object], str | None]] | None = None
    is_floor: bool = False
    # A scenario that consumes what it works on (checkout) stops after this many requests.
    max_requests: Callable[[World], int] | None = None
    # What a successful answer's data looks like: the in-process probe refuses any other answer.
    expect: Callable[[dict[str, Any]], bool] = lambda data: True


def graphql(
    name: str,
    description: str,
    query: str,
    *,
    login: str,
    variables: Callable[[World, int, int], dict[str, object]] | None = None,
    is_floor: bool = False,
    max_requests: Callable[[World], int] | None = None,
    expect: Callable[[dict[str, Any]], bool] = lambda data: True,
) -> Scenario:
    """A scenario that posts one GraphQL operation as the demo user `login`."""

    def body(world: World, client: int = 0, n: int = 0) -> dict[str, object]:
        return {"query": query, "variables": variables(world, client, n) if variables else {}}

    def requests(world: World) -> Callable[[int, int], bytes]:
        token = world.tokens.get(login)
        if variables is None:
            encoded = encode_post(world.host, world.port, "/graphql", body(world), token)
            return lambda _client, _n: encoded
        return lambda client, n: encode_post(
            world.host, world.port, "/graphql", body(world, client, n), token
        )

    return Scenario(
        name=name,
        description=description,
        requests=requests,
        # The in-process probe is "client -1": scenarios that consume data keep fresh ones for it.
        body=lambda world: (body(world, -1, 0), world.tokens.get(login)),
        is_floor=is_floor,
        max_requests=max_requests,
        expect=expect,
    )


GRID = """
query Grid($first: Int!) {
  accounts(first: $first) {
    nodes {
      id code companyName isOnHold balance
      primaryAddress { city postcode }
      memberships { nodes { role contact { name email } } }
    }
  }
}
"""


ACCOUNT_DETAIL = """
query AccountDetail {
  account(code: "ABC1234") {
    id code companyName balance
    contacts(first: 20) { nodes { name email } }
    addresses { nodes { kind city postcode } }
    contracts { nodes {
      code expiresOn products(first: 20) { nodes { price isForced product { sku name } } }
    } }
    carts(first: 20) { nodes { name status total lines { sku quantity unitPrice } } }
  }
}
"""

STOREFRONT_PAGE = """
query StorefrontPage($cart: ID!) {
  viewer {
    contact { name }
    activeAccount { code companyName priceLevel paymentTypes }
  }
  products(first: 20, filter: {search: "TP-0"}) { nodes { id sku name unit price } }
  cart(id: $cart) { name total lines { sku quantity unitPrice lineTotal } }
}
"""

REP_SWITCH = """
mutation RepSwitch($input: SwitchAccountInput!) {
  switchAccount(input: $input) {
    errors { code message }
    account { code companyName carts(first: 10, filter: {status: OPEN}) { nodes { name total } } }
  }
}
"""

CHECKOUT = """
mutation Checkout($input: CheckoutCartInput!) {
  checkoutCart(input: $input) {
    errors { code message }
    order { id status total }
  }
}
"""


def _rep_account(world: World, client: int, n: int) -> dict[str, object]:
    accounts = world.ids["rep_accounts"]
    return {"input": {"accountId": accounts[(client + n) % len(accounts)]}}


def _checkout_cart(world: World, client: int, _n: int) -> dict[str, object]:
    """The next cart nobody has checked out yet; each probe takes a fresh one of its own, so the
    probe counts a real checkout, never the refusal of an already checked-out cart."""
    if client < 0:
        cart = world.ids["probe_carts"].pop()
    else:
        cart = world.ids["checkout_carts"][next(world.ids["next_checkout"])]
    return {"input": {"cartId": cart, "paymentType": "ON_ACCOUNT"}}


def _nodes(data: dict[str, Any], field: str) -> list[Any]:
    return list((data.get(field) or {}).get("nodes") or [])


def _healthz(world: World) -> Callable[[int, int], bytes]:
    encoded = encode_get(world.host, world.port, "/healthz")
    return lambda _client, _n: encoded


SCENARIOS: list[Scenario] = [
    Scenario(
        name="transport floor",
        description="a plain Starlette JSON route (GET /healthz)",
        requests=_healthz,
        is_floor=True,
    ),
    graphql(
        "framework floor",
        "{ __typename } through the whole GraphQL stack",
        "{ __typename }",
        login="anonymous",
        is_floor=True,
        expect=lambda data: data == {"__typename": "Query"},
    ),
    graphql(
        "worker grid 20",
        "accounts(first: 20) with memberships -> contact and primary address",
        GRID,
        login="admin",
        variables=lambda _w, _c, _n: {"first": 20},
        expect=lambda data: len(_nodes(data, "accounts")) == 20,
    ),
    graphql(
        "account detail",
        "one account with contacts, addresses, contracts and carts with lines",
        ACCOUNT_DETAIL,
        login="admin",
        expect=lambda data: data["account"] is not None and data["account"]["code"] == "ABC1234",
    ),
    graphql(
        "storefront page",
        "viewer, active account, 20 priced products and a 20-line cart",
        STOREFRONT_PAGE,
        login="mary",
        variables=lambda world, _c, _n: {"cart": world.ids["page_cart"]},
        expect=lambda data: (
            data["cart"] is not None
            and len(data["cart"]["lines"]) > 0
            and len(_nodes(data, "products")) > 0
        ),
    ),
    graphql(
        "rep switch",
        "switchAccount and the new account's open carts, in one round trip",
        REP_SWITCH,
        login="rep1",
        variables=_rep_account,
        expect=lambda data: data["switchAccount"]["account"] is not None,
    ),
    graphql(
        "checkout under contention",
        "32 clients checking out distinct one-line carts",
        CHECKOUT,
        login="alice",
        variables=_checkout_cart,
        max_requests=lambda world: len(world.ids["checkout_carts"]),
        expect=lambda data: (data["checkoutCart"]["order"] or {}).get("status") is not None,
    ),
    graphql(
        "worker grid 100",
        "accounts(first: 100) with memberships -> contact and primary address",
        GRID,
        login="admin",
        variables=lambda _w, _c, _n: {"first": 100},
        expect=lambda data: len(_nodes(data, "accounts")) == 100,
    ),
]
