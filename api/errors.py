"""Errors of a request that no operation answered, as GraphQL-over-HTTP bodies: a refused request
(its status and code) and an exception outside the operation (authentication, the edge), masked
by the same rules as an operation's (`schema/error_masking.py`), a 503 when the database is down,
full or read-only."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from core.database import database_unavailable
from schema.error_masking import (
    INTERNAL_SERVER_ERROR,
    SERVICE_UNAVAILABLE,
    logger,
    masked_message,
)

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
# `extensions.code` of a request refused before any operation ran, by its HTTP status.
_REQUEST_ERROR_CODES = {
    400: "BAD_REQUEST",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    414: "URI_TOO_LONG",
}


def wants_graphql_response_json(request: Request) -> bool:
    return GRAPHQL_RESPONSE_JSON in request.headers.get("accept", "")


def request_error_response(
    request: Request,
    status_code: int,
    message: str,
    *,
    code: str | None = None,
    extensions: dict[str, str] | None = None,
) -> JSONResponse:
    """A GraphQL-over-HTTP response for a request that no operation answered: one error with
    `extensions.code` and no `data`, in the media type the client accepts."""
    error = {
        "message": message,
        "extensions": {"code": code or _REQUEST_ERROR_CODES.get(status_code, "BAD_REQUEST")}
        | (extensions or {}),
    }
    response = JSONResponse({"errors": [error]}, status_code=status_code)
    if wants_graphql_response_json(request):
        response.headers["content-type"] = f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8"
    if status_code == 405:
        response.headers["allow"] = "GET, POST"
    return response


def unexpected_error_response(request: Request, error: Exception, request_id: str) -> JSONResponse:
    """An exception outside any operation (authentication, the edge): logged with its trace,
    masked for the client, a 503 when the database is unavailable."""
    logger.error(
        "unexpected error outside the operation", exc_info=error, extra={"request_id": request_id}
    )
    code = SERVICE_UNAVAILABLE if database_unavailable(error) else INTERNAL_SERVER_ERROR
    return request_error_response(
        request,
        503 if code == SERVICE_UNAVAILABLE else 500,
        masked_message(code, request_id),
        code=code,
        extensions={"requestId": request_id},
    )
