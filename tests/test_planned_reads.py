"""The planned read path (`schema.plans`) answers byte for byte as the generic Strawberry path.

Two apps over one demo world, one with `planned_reads` off, answer the same requests for six
viewers (anonymous, two contacts, a sales rep, a worker, an API key): every query operation of the
README, docs/ and the test suite, the benchmark's documents, hand-written edge cases (fragments,
aliases, directives, variables, paging, errors), and documents generated at random from the
schema over the planned types. The bodies must be identical, and the request log must show the
planned path answering a good share of them, or the comparison would prove nothing.
"""

from __future__ import annotations

import ast
import logging
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLError,
    GraphQLObjectType,
    OperationDefinitionNode,
    OperationType,
    get_named_type,
    is_leaf_type,
    parse,
    validate,
)
from sqlalchemy.ext.asyncio import AsyncEngine

from api.app import create_app
from api.system_commands import create_api_key_now
from bench.scenarios import ACCOUNT_DETAIL, GRID
from core.settings import Settings
from domain.enums import ApiKeyScope
from schema.plans.coverage import MODELS, RELATIONS
from schema.schema import schema
from seed.demo import DEMO_PASSWORD, run_seed
from tests.graphql_client import GraphQLClient
from tests.test_documentation import operations

ROOT = Path(__file__).resolve().parents[1]
# Two contacts: alice places the orders (`place_orders`), so her viewer has some.
LOGINS = ("mary", "alice", "rep1", "admin")
GRAPHQL_SCHEMA = schema._schema


def _queries_in(text: str) -> Iterator[str]:
    """`text` if it is a valid document whose operations are all queries without required
    variables (the comparison has no values to give them)."""
    try:
        document = parse(text)
    except GraphQLError:
        return
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1 or operations[0].operation is not OperationType.QUERY:
        return
    required = [
        v
        for v in operations[0].variable_definitions or ()
        if v.type.kind == "non_null_type" and v.default_value is None
    ]
    if not required and not validate(GRAPHQL_SCHEMA, document):
        yield text


def documented_queries() -> list[str]:
    return [q for _path, _number, block in operations() for q in _queries_in(block)]


def suite_queries() -> list[str]:
    """Every string constant of the test suite that is a query document."""
    found: list[str] = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "{" in node.value:
                found += _queries_in(node.value)
    return list(dict.fromkeys(found))


EDGE_CASES = [
    ("{ accounts(first: 3) { totalCount pageInfo { hasNextPage endCursor __typename } } }", {}),
    (
        "query($n: Int!, $c: Boolean!) { a: accounts(first: $n) { edges { cursor node { "
        "...A c2: code @include(if: $c) } } } } fragment A on Account { id companyName "
        "__typename primaryAddress { ... on Address { city } ...on Node { id } } }",
        {"n": 4, "c": True},
    ),
    (
        "query($c: Boolean!) { accounts(first: 2) { nodes { code @skip(if: $c) "
        "memberships(last: 2) { edges { node { role contact { name } } } } } } }",
        {"c": False},
    ),
    (
        "query($c: Boolean!) { accounts(first: 2) { nodes { code @skip(if: $c) "
        "memberships(last: 2) { edges { node { role contact { name } } } } } } }",
        {"c": True},
    ),
    (
        '{ accounts(first: 2, after: "Y3Vyc29yOjE=") { nodes { code } '
        "pageInfo { hasPreviousPage } } }",
        {},
    ),
    (
        '{ accounts(last: 3, before: "Y3Vyc29yOjU=") { nodes { code } pageInfo { startCursor } } }',
        {},
    ),
    ("{ accounts(first: 101) { nodes { code } } }", {}),
    ('{ accounts(first: 1, after: "nope") { nodes { code } } }', {}),
    (
        "{ accounts(first: 5, sortBy: {field: BALANCE, direction: DESC}) "
        "{ nodes { code balance } } }",
        {},
    ),
    ('{ accounts(first: 5, filter: {search: "abc"}) { nodes { code } totalCount } }', {}),
    (
        '{ account(code: " abc1234 ") { code '
        "addresses(filter: {kind: SHIPPING}) { nodes { kind city } } } }",
        {},
    ),
    ('{ account(code: "NOPE") { code } }', {}),
    (
        '{ account(code: "ABC1234") { memberships { nodes { cartApprover { name } defaultShipTo '
        "{ line1 } contact { email } } } } }",
        {},
    ),
    (
        "{ __typename accounts(first: 1) { __typename edges { __typename node { __typename } } } }",
        {},
    ),
    ('{ products(first: 3, filter: {search: "TP"}) { nodes { sku price } totalCount } }', {}),
    ("{ products(first: 4) { nodes { id unit price(quantity: 12) p1: price } } }", {}),
    (
        '{ account(code: "ABC1234") { carts(first: 5) { nodes { name status total lines { '
        "sku productName productId quantity unitPrice lineTotal } } } } }",
        {},
    ),
    (
        '{ accounts(first: 1) { nodes { code } } viewer { kind } node(id: "bad") { id } '
        "p: products(first: 2) { nodes { sku } } }",
        {},
    ),
    (
        "query($first: Int!) { viewer { contact { name } activeAccount { code } } "
        "products(first: $first) { nodes { id sku name unit price } } }",
        {"first": 20},
    ),
    (
        '{ account(code: "ABC1234") { orders(first: 3, sortBy: {field: TOTAL, direction: ASC}) '
        "{ totalCount nodes { id number status paymentType total subtotal createdAt releasedAt "
        "lines { id sku productName quantity unitPrice lineTotal productId product { sku } } "
        "createdByContact { name } approvedBy { name } createdByWorker { name } "
        "releasedBy { username } account { code } } } } }",
        {},
    ),
    (
        '{ account(code: "ABC1234") { orders(last: 2, filter: {status: [PLACED]}) '
        "{ edges { cursor node { number total } } } } }",
        {},
    ),
    ('{ order(id: "T3JkZXI6MQ==") { id number status total account { code } lines { sku } } }', {}),
    ('{ order(id: "T3JkZXI6OTk5OTk=") { number } }', {}),
    ('{ order(id: "bad") { number } }', {}),
    (
        "{ viewer { kind memberships { totalCount nodes { role isDefault contact { name } } } "
        "carts(first: 3) { totalCount nodes { name status total lines { sku quantity } } } "
        "orders(first: 2) { nodes { number total lines { sku } } pageInfo { hasNextPage } } } }",
        {},
    ),
    (
        '{ viewer { carts(filter: {status: [OPEN], search: "diff"}, last: 1) '
        "{ edges { cursor node { name } } } orders(sortBy: {field: NUMBER}) { totalCount } } }",
        {},
    ),
    (
        '{ product(sku: "TP-00001") { id sku name unit isActive commodity price '
        "bulk: price(quantity: 50) } }",
        {},
    ),
    ('{ product(sku: " tp-00002 ") { sku } missing: product(sku: "NOPE") { sku } }', {}),
    (
        '{ contract(code: "ABC-2025") { id code name startsOn expiresOn source createdAt '
        "products(first: 3) { totalCount nodes { price isForced product { sku } } } "
        "accounts(last: 1) { totalCount nodes { code companyName } } } }",
        {},
    ),
    (
        '{ contract(code: " abc-lock ") { code isCurrent } none: contract(code: "NOPE") { code } }',
        {},
    ),
    (GRID, {"first": 20}),
    (GRID, {"first": 1}),
    (ACCOUNT_DETAIL, {}),
]


def random_selection(rng: random.Random, type_name: str, depth: int) -> str:
    """Fields of a planned type chosen at random: leaves, and planned relations below."""
    object_type = GRAPHQL_SCHEMA.get_type(type_name)
    assert isinstance(object_type, GraphQLObjectType)
    chosen: list[str] = []
    for name, field in object_type.fields.items():
        if rng.random() > 0.35:
            continue
        alias = f"a{rng.randrange(1000)}: " if rng.random() < 0.2 else ""
        if is_leaf_type(get_named_type(field.type)):
            if not field.args:
                chosen.append(alias + name)
            elif (type_name, name) in RELATIONS:  # a computed leaf (`price(quantity:)`)
                chosen.append(f"{alias}{name}(quantity: {rng.randrange(1, 30)})")
        elif (type_name, name) in RELATIONS and depth < 3:
            target = get_named_type(field.type)
            assert isinstance(target, GraphQLObjectType)
            if target.name.endswith("Connection"):
                node = get_named_type(target.fields["nodes"].type).name
                page = rng.choice(["", "(first: 1)", "(last: 2)", "(first: 0)"])
                inner = random_selection(rng, node, depth + 1)
                chosen.append(f"{alias}{name}{page} {{ totalCount nodes {{ {inner} }} }}")
            else:
                chosen.append(
                    f"{alias}{name} {{ {random_selection(rng, target.name, depth + 1)} }}"
                )
    if rng.random() < 0.3:
        chosen.append(f"... on {type_name} {{ __typename }}")
    return " ".join(chosen) or "id"


def random_queries(count: int) -> list[tuple[str, dict[str, Any]]]:
    rng = random.Random(17)
    made: list[tuple[str, dict[str, Any]]] = []
    for _ in range(count):
        inner = random_selection(rng, "Account", 1)
        if rng.random() < 0.5:
            made.append(
                (f"{{ accounts(first: {rng.randrange(1, 8)}) {{ nodes {{ {inner} }} }} }}", {})
            )
        else:
            made.append((f'{{ account(code: "ABC1234") {{ {inner} }} }}', {}))
    return made


def test_every_planned_type_has_its_table() -> None:
    assert {type_name for type_name, _field in RELATIONS} <= set(MODELS)
    for type_name in MODELS:
        assert GRAPHQL_SCHEMA.get_type(type_name) is not None


async def viewers_of(world: Settings) -> dict[str, str | None]:
    """A token for each kind of viewer of the demo world (None: anonymous)."""
    tokens: dict[str, str | None] = {"anonymous": None}
    tokens["api key"] = await create_api_key_now(
        world, name="differential", scopes=[ApiKeyScope.READ]
    )
    app = create_app(world)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        for login in LOGINS:
            tokens[login] = await GraphQLClient(http).login(login, DEMO_PASSWORD)
    return tokens


async def place_orders(world: Settings) -> None:
    """Two orders of ABC1234 (the demo world has none), so the order documents compare rows."""
    app = create_app(world)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        client = GraphQLClient(http)
        token = await client.login("alice", DEMO_PASSWORD)
        products = await client.execute("{ products(first: 3) { nodes { id } } }", token=token)
        ids = [node["id"] for node in products["products"]["nodes"]]
        for lines in (ids[:1], ids):
            cart = await client.execute(
                'mutation { createCart(input: {name: "Differential"}) { cart { id } } }',
                token=token,
            )
            cart_id = cart["createCart"]["cart"]["id"]
            await client.execute(
                "mutation($i: AddCartLinesInput!) { addCartLines(input: $i) { cart { id } } }",
                {
                    "i": {
                        "cartId": cart_id,
                        "lines": [{"productId": p, "quantity": 2} for p in lines],
                    }
                },
                token=token,
            )
            placed = await client.execute(
                "mutation($i: CheckoutCartInput!) { checkoutCart(input: $i) "
                "{ order { id } errors { message } } }",
                {"i": {"cartId": cart_id, "paymentType": "ON_ACCOUNT"}},
                token=token,
            )
            assert placed["checkoutCart"]["order"], placed


async def compare_read_paths(world: Settings, caplog: pytest.LogCaptureFixture) -> None:
    """Every document for every viewer: the two paths' bodies are the same, and the planned
    path answered a good share of them."""
    await place_orders(world)
    viewers = await viewers_of(world)
    documents = [
        *((q, {}) for q in documented_queries()),
        *((q, {}) for q in suite_queries()),
        *EDGE_CASES,
        *random_queries(120),
    ]
    planned_app = create_app(world)
    generic_app = create_app(world.model_copy(update={"planned_reads": False}))
    paths: list[str | None] = []
    mismatches = []
    caplog.set_level(logging.INFO, logger="tradepost.request")
    async with (
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=planned_app), base_url="http://t"
        ) as planned,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=generic_app), base_url="http://t"
        ) as generic,
    ):
        for query, variables in documents:
            for viewer, token in viewers.items():
                headers = {"Authorization": f"Bearer {token}"} if token else {}
                body = {"query": query, "variables": variables}
                caplog.clear()
                first = await planned.post("/graphql", json=body, headers=headers)
                paths += [
                    getattr(r, "read_path", None) for r in caplog.records if r.msg == "request"
                ]
                second = await generic.post("/graphql", json=body, headers=headers)
                if (first.status_code, first.content) != (second.status_code, second.content):
                    mismatches.append((viewer, query, first.text[:400], second.text[:400]))
    assert not mismatches, mismatches[:3]
    planned_count = paths.count("planned") + paths.count("partly planned")
    assert planned_count >= 300, (planned_count, len(paths))


async def test_planned_and_generic_answers_are_byte_identical(
    demo_world: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    await compare_read_paths(demo_world, caplog)


async def test_planned_and_generic_answers_agree_on_the_suites_database(
    settings: Settings, engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    """The same on the suite's own database: PostgreSQL in CI's second run."""
    if engine.dialect.name != "postgresql":
        pytest.skip("the SQLite demo world is compared above")
    await run_seed(settings, extra_accounts=0, if_empty=False)
    await compare_read_paths(settings, caplog)


@pytest.mark.parametrize("query", ["{}", "{ accounts(first: 1) {} }"])
async def test_a_selection_of_nothing_is_invalid_not_a_server_error(
    demo_world: Settings, query: str
) -> None:
    app = create_app(demo_world)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        body = (await c.post("/graphql", json={"query": query})).json()
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED", body
