"""Text input the database cannot store, or no field has a use for, is the client's error.

Two rules for every string an operation passes, checked before any resolver runs: literals in
the document (where `"\\u0000"` is an escape) and variables, keys of JSON objects included.

- No NUL character: PostgreSQL's text types cannot hold one (asyncpg fails the statement with
  "invalid byte sequence"), and no name, code or message of a client has a use for one.
- At most `MAX_TEXT_LENGTH` characters (a setting): the outer bound for every text, so that no
  argument without a column of its own (a search term, a password, a JSON value) can make the
  server work on a megabyte. Each field's own limit is tighter and comes from its column
  (`models.column_limits`) or its rule; this one only has to be above all of them.

GraphQL's built-in `String` cannot be replaced, so one walk covers every string at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from typing import Any

from graphql import DocumentNode, GraphQLError, StringValueNode, Visitor, visit
from graphql import ExecutionResult as GraphQLExecutionResult
from strawberry.types import ExecutionContext

NUL = "\x00"


class _Literals(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.values: list[str] = []

    def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
        self.values.append(node.value)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _literals(document: DocumentNode, source: str | None, max_length: int) -> list[str]:
    """The document's string literals, unless its text shows none can break a rule: a literal
    holds NUL only through a `\\u` escape, and is no longer than the text it is written in."""
    if source is not None and "\\u" not in source and len(source) <= max_length:
        return []
    finder = _Literals()
    visit(document, finder)
    return finder.values


def _refusal(text: str, max_length: int) -> GraphQLError | None:
    if NUL in text:
        message = "Text must not contain the NUL character (\\u0000)"
        return GraphQLError(message, extensions={"code": "BAD_USER_INPUT"})
    if len(text) > max_length:
        message = f"Text must be at most {max_length} characters, got {len(text)}"
        return GraphQLError(message, extensions={"code": "TEXT_TOO_LONG", "maxLength": max_length})
    return None


def refuse_unfit_text(execution_context: ExecutionContext, *, max_length: int) -> None:
    """Refuse an operation passing a string with NUL or over `max_length`, before execution."""
    document = execution_context.graphql_document
    source = execution_context.query
    literals = [] if document is None else _literals(document, source, max_length)
    for text in chain(_strings(execution_context.variables), literals):
        error = _refusal(text, max_length)
        if error is not None:
            # A result set before execution makes Strawberry skip execution entirely.
            execution_context.result = GraphQLExecutionResult(data=None, errors=[error])
            return
