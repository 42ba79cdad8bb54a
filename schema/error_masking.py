"""Which errors of an operation were unexpected, how they are logged, and what the client sees
of them instead: "Internal server error" (or, when the database is down, full or read-only,
"Service unavailable"), or a stopped statement, each with a request id that the log line with
the trace also carries. The schema records errors with this; the HTTP edge (`api/errors.py`)
masks with it.

Only unexpected errors are logged as errors, with their trace; a client's own mistakes (a bad
query, a refused limit) are an INFO line, so they cannot flood the error log."""

from __future__ import annotations

import logging

from graphql import GraphQLError
from strawberry.types import ExecutionContext, ExecutionResult

from core.context import Context
from core.database import database_unavailable

logger = logging.getLogger("tradepost.errors")

INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"


def is_unexpected(error: GraphQLError) -> bool:
    """Deliberate errors are GraphQLErrors (or none at all: parse and validation errors)."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


# PostgreSQL's SQLSTATE for a statement cancelled by `statement_timeout`.
QUERY_CANCELED = "57014"
STATEMENT_TIMEOUT = "STATEMENT_TIMEOUT"


def is_statement_timeout(error: GraphQLError) -> bool:
    """A statement the server cancelled (STATEMENT_TIMEOUT_MS): still logged as unexpected, but
    the client learns what happened, masked like every other server error."""
    database_error = getattr(error.original_error, "orig", None)
    return getattr(database_error, "sqlstate", None) == QUERY_CANCELED


def record_errors(errors: list[GraphQLError], execution_context: ExecutionContext | None) -> None:
    """Log an operation's errors as they are, before masking, and note on the request whether
    one says the database is unavailable (a later error, such as a commit refused after that
    failure, may no longer say so itself)."""
    context = execution_context.context if execution_context else None
    request_id = context.request_id if isinstance(context, Context) else None
    for error in errors:
        if error.original_error is not None and is_unexpected(error):
            logger.error(
                "unexpected error at %s",
                error.path,
                exc_info=error.original_error,
                extra={"request_id": request_id},
            )
            if isinstance(context, Context) and database_unavailable(error.original_error):
                context.database_unavailable = True
        else:
            logger.info("client error: %s", error.message, extra={"request_id": request_id})


def mask_unexpected_errors(result: ExecutionResult, context: Context) -> None:
    """Replace an operation's unexpected errors by a masked one with the request id (not in
    debug, where the client sees the real message)."""
    if not result.errors or context.settings.debug:
        return
    result.errors = [
        masked_error(error, context) if is_unexpected(error) else error for error in result.errors
    ]


def masked_error(error: GraphQLError, context: Context) -> GraphQLError:
    """What the client sees of an unexpected error: a statement the server stopped, a database
    that is unavailable, or any other failure, each with its code and the request id."""
    if is_statement_timeout(error):
        code = STATEMENT_TIMEOUT
        message = f"The request took too long and was stopped (request id {context.request_id})"
    else:
        code = SERVICE_UNAVAILABLE if context.database_unavailable else INTERNAL_SERVER_ERROR
        message = masked_message(code, context.request_id)
    return GraphQLError(
        message,
        nodes=error.nodes,
        path=error.path,
        extensions={"code": code, "requestId": context.request_id},
    )


def masked_message(code: str, request_id: str) -> str:
    what = "Service unavailable" if code == SERVICE_UNAVAILABLE else "Internal server error"
    return f"{what} (request id {request_id})"
