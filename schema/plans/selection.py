"""The fields a selection set selects on one object type, collected as graphql-core's executor
collects them: in order of first appearance, fragments and inline fragments merged, `@skip` and
`@include` applied, each response key (alias) with every field node that answers it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLIncludeDirective,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSkipDirective,
    InlineFragmentNode,
    NamedTypeNode,
    SelectionSetNode,
    is_abstract_type,
)
from graphql.execution.values import VariableValues, get_directive_values

Fragments = Mapping[str, FragmentDefinitionNode]


def collect_fields(
    schema: GraphQLSchema,
    object_type: GraphQLObjectType,
    selection_sets: Iterable[SelectionSetNode],
    fragments: Fragments,
    variables: VariableValues,
) -> dict[str, list[FieldNode]]:
    """Response key -> the field nodes selected under it, for an object of `object_type`."""
    fields: dict[str, list[FieldNode]] = {}
    visited: set[str] = set()

    def walk(selection_set: SelectionSetNode) -> None:
        for selection in selection_set.selections:
            if not _included(selection, variables):
                continue
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                fields.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                if _applies(schema, selection.type_condition, object_type):
                    walk(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if name in visited or fragment is None:
                    continue
                visited.add(name)
                if _applies(schema, fragment.type_condition, object_type):
                    walk(fragment.selection_set)

    for selection_set in selection_sets:
        walk(selection_set)
    return fields


def subselections(nodes: Iterable[FieldNode]) -> list[SelectionSetNode]:
    return [node.selection_set for node in nodes if node.selection_set is not None]


def _included(node: Any, variables: VariableValues) -> bool:
    skip = get_directive_values(GraphQLSkipDirective, node, variables)
    if skip is not None and skip["if"] is True:
        return False
    include = get_directive_values(GraphQLIncludeDirective, node, variables)
    return not (include is not None and include["if"] is False)


def _applies(
    schema: GraphQLSchema, condition: NamedTypeNode | None, object_type: GraphQLObjectType
) -> bool:
    if condition is None:
        return True
    condition_type = schema.get_type(condition.name.value)
    if condition_type is object_type:
        return True
    return is_abstract_type(condition_type) and schema.is_sub_type(condition_type, object_type)
