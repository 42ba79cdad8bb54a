"""Each prefetched relation is declared once, on its field: `prefetch` finds every one through
the schema, under the GraphQL names of its type and field, and each leads to a type there."""

from __future__ import annotations

from strawberry.types.base import StrawberryObjectDefinition

from schema.prefetch import prefetched_fields
from schema.schema import schema

PREFETCHED = {
    "Account": {"memberships", "addresses", "primaryAddress"},
    "AccountMembership": {"contact", "cartApprover", "defaultShipTo"},
    "Cart": {"lines"},
    "CartLine": {"sku", "productName"},
}


def test_prefetch_finds_every_declared_relation_by_its_graphql_names() -> None:
    found = {
        name: set(prefetched_fields(schema, name))
        for name in schema.schema_converter.type_map
        if prefetched_fields(schema, name)
    }

    assert found == PREFETCHED


def test_every_relation_leads_to_an_object_type_of_the_schema() -> None:
    for type_name in PREFETCHED:
        for field, relation in prefetched_fields(schema, type_name).items():
            target = schema.get_type_by_name(relation.target)
            assert isinstance(target, StrawberryObjectDefinition), (type_name, field)


def test_connections_over_a_relation_are_paged_in_memory() -> None:
    relations = prefetched_fields(schema, "Account")

    assert relations["memberships"].paged and relations["addresses"].paged
    assert not relations["primaryAddress"].paged
