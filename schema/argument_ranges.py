"""Field arguments out of range are refused once, before execution, as a request error.

Checked in a resolver, `products(first: 100) { nodes { price(quantity: -1) } }` gave one error
per product; here it is one `BAD_USER_INPUT` error pointing at the argument, whether the value is
written in the document or passed as a variable.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLInputType,
    GraphQLSchema,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    value_from_ast,
    visit,
)
from graphql import ExecutionResult as GraphQLExecutionResult
from strawberry.types import ExecutionContext

# The least value of a field argument, by the argument's name, wherever it appears.
ARGUMENT_MINIMUMS = {"quantity": 1}
# Documents whose bounded arguments are remembered (by schema and text): the walk costs more
# than the check (0.5 ms of a storefront page's 10).
MAX_DOCUMENTS = 1000


@dataclass(frozen=True)
class BoundedArgument:
    """An argument of the document that has a minimum: its node, type and least value."""

    node: ArgumentNode
    type: GraphQLInputType
    minimum: int


_BOUNDED: OrderedDict[tuple[GraphQLSchema, str], tuple[BoundedArgument, ...]] = OrderedDict()


def bounded_arguments(schema: GraphQLSchema, document: DocumentNode) -> tuple[BoundedArgument, ...]:
    """Every argument of `document` with an entry in `ARGUMENT_MINIMUMS`, found by one walk."""
    type_info = TypeInfo(schema)
    found: list[BoundedArgument] = []

    class Find(Visitor):
        def enter_field(self, node: FieldNode, *_: Any) -> None:
            definition = type_info.get_field_def()
            if definition is None:
                return
            for argument in node.arguments or ():
                name = argument.name.value
                minimum = ARGUMENT_MINIMUMS.get(name)
                if minimum is not None and name in definition.args:
                    found.append(BoundedArgument(argument, definition.args[name].type, minimum))

    visit(document, TypeInfoVisitor(type_info, Find()))
    return tuple(found)


def _bounded_arguments_of(
    schema: GraphQLSchema, source: str | None, document: DocumentNode
) -> tuple[BoundedArgument, ...]:
    if source is None:
        return bounded_arguments(schema, document)
    found = _BOUNDED.get((schema, source))
    if found is None:
        found = _BOUNDED[schema, source] = bounded_arguments(schema, document)
        if len(_BOUNDED) > MAX_DOCUMENTS:
            _BOUNDED.popitem(last=False)
    return found


def out_of_range_arguments(execution_context: ExecutionContext) -> list[GraphQLError]:
    document = execution_context.graphql_document
    source = execution_context.query
    if document is None or (source is not None and not any(n in source for n in ARGUMENT_MINIMUMS)):
        return []  # an argument is named in the text it is written in: no walk needed
    variables = execution_context.variables or {}
    problems: list[GraphQLError] = []
    for argument in _bounded_arguments_of(execution_context.schema._schema, source, document):
        value = value_from_ast(argument.node.value, argument.type, variables)
        if isinstance(value, int) and value < argument.minimum:
            name = argument.node.name.value
            problems.append(
                GraphQLError(
                    f"`{name}` must be at least {argument.minimum}, got {value}",
                    nodes=argument.node,
                    extensions={"code": "BAD_USER_INPUT"},
                )
            )
    return problems


def refuse_out_of_range_arguments(execution_context: ExecutionContext) -> None:
    problems = out_of_range_arguments(execution_context)
    if problems:
        # A result set before execution makes Strawberry skip execution entirely.
        execution_context.result = GraphQLExecutionResult(data=None, errors=problems)
