"""Error masking: clients see GraphQL's own validation messages and our deliberate errors, but
an unexpected exception becomes "Internal server error" with a request id that is also logged.

Only unexpected errors are logged as errors, with their trace; a client's own mistakes (a bad
query, a refused limit) are an INFO line, so they cannot flood the error log."""

from __future__ import annotations

import logging

from graphql import GraphQLError
from strawberry.types import ExecutionContext

from api.context import Context

logger = logging.getLogger("tradepost.errors")


def is_unexpected(error: GraphQLError) -> bool:
    """Deliberate errors are GraphQLErrors (or none at all: parse and validation errors)."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


# PostgreSQL's SQLSTATE for a statement cancelled by `statement_timeout`.
QUERY_CANCELED = "57014"


def is_statement_timeout(error: GraphQLError) -> bool:
    """A statement the server cancelled (STATEMENT_TIMEOUT_MS): still logged as unexpected, but
    the client learns what happened, masked like every other server error."""
    database_error = getattr(error.original_error, "orig", None)
    return getattr(database_error, "sqlstate", None) == QUERY_CANCELED


def log_errors(errors: list[GraphQLError], execution_context: ExecutionContext | None) -> None:
    context = execution_context.context if execution_context else None
    request_id = context.request_id if isinstance(context, Context) else None
    for error in errors:
        if is_unexpected(error):
            logger.error(
                "unexpected error at %s",
                error.path,
                exc_info=error.original_error,
                extra={"request_id": request_id},
            )
        else:
            logger.info("client error: %s", error.message, extra={"request_id": request_id})


def mask_unexpected_errors(execution_context: ExecutionContext) -> None:
    """Replace an operation's unexpected errors by "Internal server error" with the request id
    (not in debug, where the client sees the real message)."""
    result = execution_context.result
    errors = getattr(result, "errors", None)
    if result is None or not errors:
        return
    context: Context = execution_context.context
    if context.settings.debug:
        return
    masked = []
    for error in errors:
        if is_statement_timeout(error):
            error = GraphQLError(
                f"The request took too long and was stopped (request id {context.request_id})",
                nodes=error.nodes,
                path=error.path,
                extensions={"code": "STATEMENT_TIMEOUT", "requestId": context.request_id},
            )
        elif is_unexpected(error):
            error = GraphQLError(
                f"Internal server error (request id {context.request_id})",
                nodes=error.nodes,
                path=error.path,
                extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": context.request_id},
            )
        masked.append(error)
    result.errors = masked
