"""What the request log says about the operation it ran: its name (the edge writes the line,
`api/logs.py`)."""

from __future__ import annotations

from graphql import get_operation_ast
from strawberry.types import ExecutionContext

from core.context import Context


def record_operation_name(execution_context: ExecutionContext) -> None:
    """Keep the operation's name for the request's log line."""
    context = execution_context.context
    document = execution_context.graphql_document
    if not isinstance(context, Context) or document is None:
        return
    operation = get_operation_ast(document, execution_context.operation_name)
    if operation is not None and operation.name is not None:
        context.operation_names.append(operation.name.value)
