"""The mutations that read before they take the writer turn (issue #17).

A checkout reads the cart, its lines, the account, memberships, prices and budgets, and decides;
only its writes need the turn (SQLite has one writer at a time). So an operation whose every
root field is one of these starts as a reader (`core.unit_of_work`), and the resolver takes the
turn itself once it has decided (`resolvers.checkout`). Any other field in the document makes
the whole operation a writer from the start, as every other mutation is.
"""

from __future__ import annotations

from graphql import FieldNode, OperationType, get_operation_ast
from strawberry.types import ExecutionContext

READ_FIRST_FIELDS = frozenset({"checkoutCart"})


def reads_first(execution_context: ExecutionContext) -> bool:
    document = execution_context.graphql_document
    if document is None:
        return False
    operation = get_operation_ast(document, execution_context.operation_name)
    if operation is None or operation.operation is not OperationType.MUTATION:
        return False
    return all(
        isinstance(selection, FieldNode) and selection.name.value in READ_FIRST_FIELDS
        for selection in operation.selection_set.selections
    )
