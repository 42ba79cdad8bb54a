"""What a request body may be: at most the `MAX_REQUEST_BODY_BYTES` setting (counted as it
arrives, so a chunked body without a Content-Length is cut off too; a GET's query string is held
to the same limit), UTF-8 JSON nested at most
`MAX_JSON_DEPTH` deep, and an object (or, for a batch, an array of objects).

Each refusal is an `HTTPException` the GraphQL view answers with a GraphQL-over-HTTP error body
(`api.errors.request_error_response`), before anything reads the database."""

from __future__ import annotations

import json
from typing import Any

from cross_web import HTTPException
from starlette.types import Message, Receive, Scope

# No variables of this schema nest deeper than a dozen levels (a JSON scalar such as a saved
# search's filters included); the cap keeps every later walk of the values (coercion, the NUL
# check) far from Python's recursion limit, which variables nested 500 deep used to reach.
MAX_JSON_DEPTH = 32


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body is larger than {limit} bytes")


def refuse_long_query_string(scope: Scope, limit: int) -> None:
    """A GET carries its operation in the URL: the same limit holds for it (414)."""
    if len(scope.get("query_string", b"")) > limit:
        raise HTTPException(414, f"The query string is longer than {limit} bytes")


def limited_receive(scope: Scope, receive: Receive, limit: int) -> Receive:
    """`receive` that refuses a body over `limit` bytes: at once when its Content-Length says
    so, else as soon as the bytes that arrived pass it (a chunked body has no Content-Length)."""
    declared = _content_length(scope)
    received = 0

    async def receive_within_limit() -> Message:
        nonlocal received
        if declared is not None and declared > limit:
            raise BodyTooLarge(limit)
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge(limit)
        return message

    return receive_within_limit


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def decode_json(data: str | bytes) -> Any:
    """A JSON document of the request (the body, or a GET's `variables` or `extensions`)."""
    try:
        value = json.loads(data)
    except UnicodeDecodeError as error:
        raise HTTPException(400, "The request body is not valid UTF-8") from error
    except RecursionError as error:
        raise HTTPException(400, _too_deep()) from error
    if _nested_deeper_than(value, MAX_JSON_DEPTH):
        raise HTTPException(400, _too_deep())
    if not _is_object_or_objects(value):
        raise HTTPException(
            400, "The request must be a JSON object (or, for a batch, an array of objects)"
        )
    return value


def _too_deep() -> str:
    return f"The request's JSON is nested more than {MAX_JSON_DEPTH} levels deep"


def _is_object_or_objects(value: Any) -> bool:
    if isinstance(value, list):
        return all(isinstance(item, dict) for item in value)
    return isinstance(value, dict)


def _nested_deeper_than(value: Any, limit: int) -> bool:
    """Without recursion: the point is to refuse what would recurse too deep."""
    if not isinstance(value, dict | list):
        return False
    level: list[Any] = [value]
    for _ in range(limit):
        level = [
            child
            for container in level
            for child in (container.values() if isinstance(container, dict) else container)
            if isinstance(child, dict | list)
        ]
        if not level:
            return False
    return True
