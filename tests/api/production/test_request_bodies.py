"""What a request body may be: a size limit (413), and every malformed body a 400 with a
GraphQL-over-HTTP error body, before anything reads the database."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conftest import ClientWith, StatementCounter
from tests.graphql_client import GraphQLClient

JSON = {"Content-Type": "application/json"}
TYPENAME = {"query": "{ __typename }"}


def nested_list(depth: int) -> str:
    return "[" * depth + "1" + "]" * depth


def with_variables(query: str, variables: str) -> bytes:
    return ('{"query": "' + query + '", "variables": ' + variables + "}").encode()


NOT_AN_OBJECT = "The request must be a JSON object (or, for a batch, an array of objects)"
TOO_DEEP = "The request's JSON is nested more than 32 levels deep"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
PRODUCTS = "query($f: ProductFilter) { products(filter: $f) { totalCount } }"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(
            b'{"query": "{ __typename \xff }"}', "The request body is not valid UTF-8", id="utf8"
        ),
        pytest.param(b'"{ __typename }"', NOT_AN_OBJECT, id="string"),
        pytest.param(b"42", NOT_AN_OBJECT, id="number"),
        pytest.param(b"null", NOT_AN_OBJECT, id="null"),
        pytest.param(b"[1, 2]", NOT_AN_OBJECT, id="array-of-numbers"),
        pytest.param(b'[{"query": "{ __typename }"}]', "Batching is not enabled", id="batch-off"),
        pytest.param(b"{", "Unable to parse request body as JSON", id="truncated"),
        pytest.param(nested_list(1000).encode(), TOO_DEEP, id="json-1000-deep"),
        *(
            pytest.param(
                with_variables(NODES, '{"ids": ' + nested_list(depth) + "}"),
                TOO_DEEP,
                id=f"list-variable-{depth}-deep",
            )
            for depth in (40, 500, 700, 900)
        ),
        pytest.param(
            with_variables(PRODUCTS, '{"f": ' + '{"search": ' * 600 + '"x"' + "}" * 601),
            TOO_DEEP,
            id="object-variable-600-deep",
        ),
    ],
)
async def test_a_malformed_body_is_a_400_with_a_graphql_error_body(
    client: GraphQLClient, sql_counter: StatementCounter, body: bytes, message: str
) -> None:
    # when a client posts a body that is not one GraphQL request
    response = await client.http.post("/graphql", content=body, headers=JSON)

    # then it is refused with a GraphQL-over-HTTP error that has a code, not a 500
    assert (response.status_code, response.headers["content-type"]) == (400, "application/json")
    assert response.json() == {
        "errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]
    }
    assert response.headers["X-Request-Id"]
    # and nothing read the database
    assert sql_counter.count == 0


async def test_variables_nested_within_the_limit_still_run(client: GraphQLClient) -> None:
    # when the variables nest as deep as the limit allows (the body is level 1, the innermost
    # list level 32)
    body = with_variables(NODES, '{"ids": ' + nested_list(30) + "}")
    response = await client.http.post("/graphql", content=body, headers=JSON)

    # then GraphQL itself answers (the value is no list of IDs)
    assert response.status_code == 200
    assert [e["message"] for e in response.json()["errors"]] == [
        "Variable '$ids' has invalid value at [0]: ID cannot represent value: [[[...]]]"
    ]


async def test_a_malformed_body_answers_in_the_graphql_response_media_type(
    client: GraphQLClient,
) -> None:
    response = await client.http.post(
        "/graphql", content=b"null", headers={**JSON, "Accept": "application/graphql-response+json"}
    )

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/graphql-response+json; charset=utf-8"
    assert "data" not in response.json()


TOO_LARGE = {
    "errors": [
        {
            "message": "The request body is larger than 2000 bytes",
            "extensions": {"code": "PAYLOAD_TOO_LARGE"},
        }
    ]
}


def padded(size: int) -> bytes:
    """A valid request body of exactly `size` bytes."""
    body = json.dumps({"query": "{ __typename }", "variables": {"pad": ""}})
    return body.replace('""', '"' + "x" * (size - len(body)) + '"').encode()


async def chunks(body: bytes, size: int = 256) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


async def test_a_body_over_the_limit_is_a_413_whether_or_not_its_length_is_declared(
    client_with: ClientWith, sql_counter: StatementCounter
) -> None:
    async with client_with(max_request_body_bytes=2000) as client:
        # when a body of exactly the limit comes, then one a byte over with a Content-Length,
        # and then one sent in chunks without any
        at_limit = await client.http.post("/graphql", content=padded(2000), headers=JSON)
        declared = await client.http.post("/graphql", content=padded(2001), headers=JSON)
        sql_counter.reset()
        chunked = await client.http.post("/graphql", content=chunks(padded(2001)), headers=JSON)

    # then the first runs, and the others are refused before any database work
    assert (at_limit.status_code, at_limit.json()["data"]) == (200, {"__typename": "Query"})
    assert "content-length" not in chunked.request.headers
    for refused in (declared, chunked):
        assert (refused.status_code, refused.json()) == (413, TOO_LARGE)
        assert refused.headers["X-Request-Id"]
    assert sql_counter.count == 0


async def test_a_batch_counts_whole_against_the_limit(client_with: ClientWith) -> None:
    async with client_with(batching=True, max_request_body_bytes=2000) as client:
        # when a batch of small operations adds up to more than the limit
        batch = json.dumps([{"query": "{ __typename }", "variables": {"pad": "x" * 300}}] * 6)
        response = await client.http.post("/graphql", content=batch, headers=JSON)

    # then the batch is refused whole
    assert len(batch) > 2000
    assert (response.status_code, response.json()) == (413, TOO_LARGE)


async def test_the_default_limit_is_one_mebibyte(client: GraphQLClient) -> None:
    # when a client posts 10 MB (one long search string)
    body = json.dumps(
        {
            "query": PRODUCTS,
            "variables": {"f": {"search": "a" * 10_000_000}},
        }
    )
    response = await client.http.post("/graphql", content=body, headers=JSON)

    # then it is refused unread
    assert response.status_code == 413
    assert response.json()["errors"][0]["message"] == (
        "The request body is larger than 1048576 bytes"
    )


async def test_a_get_query_string_is_held_to_the_same_limit(client_with: ClientWith) -> None:
    async with client_with(max_request_body_bytes=2000) as client:
        # when a GET carries its operation in a URL longer than the limit
        search = "a" * 2000
        response = await client.http.get(
            "/graphql",
            params={"query": PRODUCTS, "variables": json.dumps({"f": {"search": search}})},
        )

    assert (response.status_code, response.json()) == (
        414,
        {
            "errors": [
                {
                    "message": "The query string is longer than 2000 bytes",
                    "extensions": {"code": "URI_TOO_LONG"},
                }
            ]
        },
    )


async def test_a_client_that_leaves_mid_body_is_no_server_error(
    app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # given a client that sends part of a body and disconnects
    messages: list[dict[str, Any]] = [
        {"type": "http.request", "body": b'{"query": "{ __typ', "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }

    # when the app serves it
    with caplog.at_level(logging.INFO):
        await app(scope, receive, send)

    # then nothing is logged as an error, and the request line has the status sent
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    [line] = [r for r in caplog.records if r.name == "tradepost.request"]
    assert line.__dict__["status"] == sent[0]["status"] == 400
