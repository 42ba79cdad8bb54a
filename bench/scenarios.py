"""What the benchmark asks the server: each scenario builds its requests from the seeded world."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bench.loadgen import encode_get, encode_post


@dataclass
class World:
    """What scenarios need to know about the seeded database and the running server."""

    host: str
    port: int
    tokens: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    # (world) -> (client index, request number) -> encoded request
    requests: Callable[[World], Callable[[int, int], bytes]]
    # The GraphQL body, for the in-process count of statements and objects (None: not GraphQL).
    body: Callable[[World], tuple[dict[str, object], str | None]] | None = None
    is_floor: bool = False


def graphql(
    name: str,
    description: str,
    query: str,
    *,
    login: str,
    variables: Callable[[World, int, int], dict[str, object]] | None = None,
    is_floor: bool = False,
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
        body=lambda world: (body(world), world.tokens.get(login)),
        is_floor=is_floor,
    )


GRID = """
query Grid($first: Int!) {
  accounts(first: $first) {
    nodes {
      id code companyName isOnHold balance
      primaryAddress { city postcode }
      memberships { role contact { name email } }
    }
  }
}
"""


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
    ),
    graphql(
        "worker grid 20",
        "accounts(first: 20) with memberships -> contact and primary address",
        GRID,
        login="admin",
        variables=lambda _w, _c, _n: {"first": 20},
    ),
    graphql(
        "worker grid 100",
        "accounts(first: 100) with memberships -> contact and primary address",
        GRID,
        login="admin",
        variables=lambda _w, _c, _n: {"first": 100},
    ),
]
