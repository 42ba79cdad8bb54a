"""Field arguments out of range are refused once, before execution, as a request error.

Checked in a resolver, `products(first: 100) { nodes { price(quantity: -1) } }` gave one error
per product; here it is one `BAD_USER_INPUT` error pointing at the argument, whether the value is
written in the document or passed as a variable.
"""

from __future__ import annotations

from typing import Any

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import (
    FieldNode,
    GraphQLError,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    value_from_ast,
    visit,
)
from strawberry.types import ExecutionContext

# The least value of a field argument, by the argument's name, wherever it appears.
ARGUMENT_MINIMUMS = {"quantity": 1}


def out_of_range_arguments(execution_context: ExecutionContext) -> list[GraphQLError]:
    document = execution_context.graphql_document
    source = execution_context.query
    if document is None or (source is not None and not any(n in source for n in ARGUMENT_MINIMUMS)):
        return []  # an argument is named in the text it is written in: no walk needed
    type_info = TypeInfo(execution_context.schema._schema)
    variables = execution_context.variables or {}
    problems: list[GraphQLError] = []

    class Check(Visitor):
        def enter_field(self, node: FieldNode, *_: Any) -> None:
            definition = type_info.get_field_def()
            if definition is None:
                return
            for argument in node.arguments or ():
                name = argument.name.value
                minimum = ARGUMENT_MINIMUMS.get(name)
                if minimum is None or name not in definition.args:
                    continue
                value = value_from_ast(argument.value, definition.args[name].type, variables)
                if isinstance(value, int) and value < minimum:
                    problems.append(
                        GraphQLError(
                            f"`{name}` must be at least {minimum}, got {value}",
                            nodes=argument,
                            extensions={"code": "BAD_USER_INPUT"},
                        )
                    )

    visit(document, TypeInfoVisitor(type_info, Check()))
    return problems


def refuse_out_of_range_arguments(execution_context: ExecutionContext) -> None:
    problems = out_of_range_arguments(execution_context)
    if problems:
        # A result set before execution makes Strawberry skip execution entirely.
        execution_context.result = GraphQLExecutionResult(data=None, errors=problems)
