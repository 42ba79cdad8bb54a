"""Text input the database cannot store is the client's error, not a crash.

PostgreSQL's text types cannot hold the NUL character (asyncpg fails the statement with "invalid
byte sequence"), and no name, code or message of a client has a use for one. GraphQL's built-in
`String` cannot be replaced, so one check covers every string of an operation before any
resolver runs: literals in the document (where `"\\u0000"` is an escape) and variables."""

from __future__ import annotations

from typing import Any

from graphql import DocumentNode, GraphQLError, StringValueNode, Visitor, visit
from graphql import ExecutionResult as GraphQLExecutionResult
from strawberry.types import ExecutionContext

NUL = "\x00"


class _FindNul(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
        self.found = self.found or NUL in node.value


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


def _document_has_nul(document: DocumentNode, source: str | None) -> bool:
    """A literal can only hold NUL through a `\\u` escape; without one in the text, no walk."""
    if source is not None and "\\u" not in source:
        return False
    finder = _FindNul()
    visit(document, finder)
    return finder.found


def refuse_nul_characters(execution_context: ExecutionContext) -> None:
    """Refuse an operation with a NUL character in any string it passes, before execution."""
    document = execution_context.graphql_document
    if _has_nul(execution_context.variables) or (
        document is not None and _document_has_nul(document, execution_context.query)
    ):
        # A result set before execution makes Strawberry skip execution entirely.
        execution_context.result = GraphQLExecutionResult(
            data=None,
            errors=[
                GraphQLError(
                    "Text must not contain the NUL character (\\u0000)",
                    extensions={"code": "BAD_USER_INPUT"},
                )
            ],
        )
