"""Prepare the seeded demo world for the benchmark over HTTP, as a client would: log in, look up
ids, and build the carts the storefront and checkout scenarios need."""

from __future__ import annotations

import itertools
import json
import urllib.request
from typing import Any

from bench.scenarios import World

DEMO_PASSWORD = "tradepost-demo"
LOGINS = ("admin", "rep1", "mary", "alice")
PAGE_SIZE = 20
# The in-process probe checks out a cart to warm up and one to count.
PROBE_CARTS = 2


def call(
    world: World, query: str, variables: dict[str, Any] | None = None, login: str | None = None
) -> Any:
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    headers = {"Content-Type": "application/json"}
    if login:
        headers["Authorization"] = f"Bearer {world.tokens[login]}"
    request = urllib.request.Request(
        f"http://{world.host}:{world.port}/graphql", data=body, headers=headers
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.load(response)
    if answer.get("errors"):
        raise RuntimeError(f"{query.split('{')[0].strip()}: {answer['errors']}")
    return answer["data"]


def _payload(data: Any, field: str) -> Any:
    payload = data[field]
    if payload.get("errors"):
        raise RuntimeError(f"{field}: {payload['errors']}")
    return payload


def log_in(world: World) -> None:
    for username in LOGINS:
        data = call(
            world,
            "mutation($i: LoginInput!) { login(input: $i) { token errors { message } } }",
            {"i": {"username": username, "password": DEMO_PASSWORD}},
        )
        world.tokens[username] = _payload(data, "login")["token"]


def new_cart(world: World, login: str, name: str, product_ids: list[str], quantity: int) -> str:
    cart = _payload(
        call(
            world,
            "mutation($i: CreateCartInput!) { createCart(input: $i) "
            "{ cart { id } errors { message } } }",
            {"i": {"name": name}},
            login,
        ),
        "createCart",
    )["cart"]["id"]
    lines = [{"productId": p, "quantity": quantity} for p in product_ids]
    _payload(
        call(
            world,
            "mutation($i: AddCartLinesInput!) { addCartLines(input: $i) { errors { message } } }",
            {"i": {"cartId": cart, "lines": lines}},
            login,
        ),
        "addCartLines",
    )
    return str(cart)


def prepare(world: World, *, checkout_carts: int) -> None:
    """Ids every scenario uses, a 20-line cart for the storefront page, and `checkout_carts`
    one-line carts for the checkout scenario, plus fresh ones for the in-process probe (its
    warm-up and its counted request each check one out)."""
    log_in(world)
    products = call(
        world,
        'query($n: Int!) { products(first: $n, filter: {search: "TP-0", availableOnly: true}) '
        "{ nodes { id price } } }",
        {"n": PAGE_SIZE},
        "mary",
    )["products"]["nodes"]
    world.ids["products"] = [p["id"] for p in products if p["price"] is not None]
    switchable = call(
        world, "{ viewer { switchableAccounts(first: 2) { nodes { id } } } }", login="rep1"
    )["viewer"]["switchableAccounts"]["nodes"]
    world.ids["rep_accounts"] = [a["id"] for a in switchable]
    world.ids["page_cart"] = new_cart(world, "mary", "Benchmark page", world.ids["products"], 1)
    one = world.ids["products"][:1]
    world.ids["checkout_carts"] = [
        new_cart(world, "alice", f"Benchmark checkout {n}", one, 1) for n in range(checkout_carts)
    ]
    world.ids["probe_carts"] = [
        new_cart(world, "alice", f"Benchmark probe {n}", one, 1) for n in range(PROBE_CARTS)
    ]
    world.ids["next_checkout"] = itertools.count()
