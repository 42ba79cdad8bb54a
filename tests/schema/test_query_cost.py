"""The query cost: each connection costs its page size times the page sizes around it, wherever
fragments, inline fragments or unions put it."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import FragmentDefinitionNode, build_schema, get_operation_ast, parse

from schema.limits import query_cost

SCHEMA = build_schema(
    """
    type Query { shops(first: Int, last: Int): ShopConnection!  shop: Shop  thing: Thing }
    type ShopConnection { nodes: [Shop!]!  totalCount: Int! }
    type Shop { name: String!  products(first: Int): ProductConnection! }
    type ProductConnection { nodes: [Product!]! }
    type Product { sku: String!  variants(first: Int): ProductConnection! }
    union Thing = Shop | Product
    """
)

CASES: list[tuple[str, str, dict[str, Any], int]] = [
    ("scalars only", "{ __typename }", {}, 1),
    ("an object without connections", "{ shop { name } }", {}, 1),
    ("one connection, default page", "{ shops { totalCount } }", {}, 1 + 20),
    ("one connection, first", "{ shops(first: 7) { totalCount } }", {}, 1 + 7),
    ("one connection, last", "{ shops(last: 3) { totalCount } }", {}, 1 + 3),
    (
        "nested connections multiply",
        "{ shops(first: 10) { nodes { products(first: 5) { nodes { sku } } } } }",
        {},
        1 + 10 + 10 * 5,
    ),
    (
        "three levels",
        "{ shops(first: 2) { nodes { products(first: 3) { nodes { variants(first: 4) "
        "{ nodes { sku } } } } } } }",
        {},
        1 + 2 + 2 * 3 + 2 * 3 * 4,
    ),
    ("a variable page size", "query($n: Int) { shops(first: $n) { totalCount } }", {"n": 9}, 10),
    ("an absent variable", "query($n: Int) { shops(first: $n) { totalCount } }", {}, 21),
    (
        "a variable's default",
        "query($n: Int = 40) { shops(first: $n) { totalCount } }",
        {},
        41,
    ),
    (
        "a variable over its default",
        "query($n: Int = 40) { shops(first: $n) { totalCount } }",
        {"n": 3},
        4,
    ),
    (
        "aliases each cost",
        "{ a: shops(first: 10) { totalCount } b: shops(first: 10) { totalCount } }",
        {},
        21,
    ),
    (
        "fragments count where they are spread",
        "{ shops(first: 10) { nodes { ...P } } shop { ...P } } "
        "fragment P on Shop { products(first: 5) { nodes { sku } } }",
        {},
        1 + 10 + 50 + 5,
    ),
    (
        "inline fragments count",
        "{ shops(first: 10) { nodes { ... on Shop { products(first: 5) { nodes { sku } } } } } }",
        {},
        1 + 10 + 50,
    ),
    (
        "a union costs its most expensive member",
        "{ thing { ... on Shop { products(first: 5) { nodes { sku } } } "
        "... on Product { variants(first: 8) { nodes { sku } } } } }",
        {},
        1 + 8,
    ),
]


@pytest.mark.parametrize(
    ("query", "variables", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_query_cost(query: str, variables: dict[str, Any], expected: int) -> None:
    document = parse(query)
    operation = get_operation_ast(document)
    assert operation is not None
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }

    assert query_cost(SCHEMA, operation, fragments, variables) == expected
