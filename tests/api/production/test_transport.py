"""The HTTP edge: batches, CSRF, production switches (introspection, suggestions, GraphiQL) and
masked errors."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from api.app import GRAPHIQL_ASSETS
from domain.enums import WorkerRole
from tests.conftest import ClientWith
from tests.factories import PASSWORD, make_worker
from tests.graphql_client import GraphQLClient
from tests.node_tools import npm_install

TYPENAME = {"query": "{ __typename }"}
CREATE_KEY = """
mutation CreateKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret errors { code } }
}
"""
ALIASED_CREATE_KEYS = """
mutation CreateKeys($input: CreateApiKeyInput!) {
  a: createApiKey(input: $input) { secret errors { code } }
  b: createApiKey(input: $input) { secret errors { code } }
  c: createApiKey(input: $input) { secret errors { code } }
}
"""
API_KEYS = "query Keys { apiKeys { nodes { name } } }"
KEY_INPUT = {"input": {"name": "erp", "scopes": ["READ"]}}


def refusal(message: str) -> dict[str, object]:
    """The body of a request refused before any operation ran."""
    return {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]}


async def test_batches_are_refused_unless_switched_on(client: GraphQLClient) -> None:
    response = await client.http.post("/graphql", json=[TYPENAME, TYPENAME])

    assert (response.status_code, response.json()) == (400, refusal("Batching is not enabled"))


async def test_a_batch_runs_each_operation_up_to_the_cap(client_with: ClientWith) -> None:
    async with client_with(batching=True, max_batch_operations=2) as client:
        # when a batch of two and a batch of three come
        two = await client.http.post("/graphql", json=[TYPENAME, {"query": "{ viewer { kind } }"}])
        three = await client.http.post("/graphql", json=[TYPENAME] * 3)

    # then the two run in order and the three are refused whole
    assert [result["data"] for result in two.json()] == [
        {"__typename": "Query"},
        {"viewer": {"kind": "ANONYMOUS"}},
    ]
    assert (three.status_code, three.json()) == (400, refusal("Too many operations"))


async def test_aliased_and_batched_mutations_each_run(
    client_with: ClientWith, session: AsyncSession
) -> None:
    # given an administrator
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)

    async with client_with(batching=True) as client:
        token = await client.login("admin", PASSWORD)
        auth = {"Authorization": f"Bearer {token}"}
        # when it sends one mutation three times under aliases, then a batch of the same twice
        aliased = await client.execute(ALIASED_CREATE_KEYS, KEY_INPUT, token=token)
        batch = await client.http.post(
            "/graphql", json=[{"query": CREATE_KEY, "variables": KEY_INPUT}] * 2, headers=auth
        )
        keys = await client.execute(API_KEYS, token=token)

    # then nothing merged them: five keys with five secrets
    secrets = {aliased[alias]["secret"] for alias in "abc"}
    secrets |= {result["data"]["createApiKey"]["secret"] for result in batch.json()}
    assert len(secrets) == 5
    assert keys == {"apiKeys": {"nodes": [{"name": "erp"}] * 5}}


LOGOUT = "mutation Logout { logout { errors { code } } }"


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", '{"query": "mutation Logout { logout { errors { code } } }"}'),
        (
            "application/x-www-form-urlencoded",
            "query=mutation+Logout+%7B+logout+%7B+errors+%7D+%7D",
        ),
        ("multipart/form-data; boundary=x", '--x\r\nContent-Disposition: form-data; name="q"\r\n'),
    ],
)
async def test_bodies_a_browser_sends_cross_site_without_preflight_are_refused(
    client: GraphQLClient, content_type: str, body: str
) -> None:
    response = await client.http.post(
        "/graphql", content=body, headers={"Content-Type": content_type}
    )

    assert (response.status_code, response.json()) == (400, refusal("Unsupported content type"))


async def test_mutations_are_refused_on_get(client: GraphQLClient) -> None:
    response = await client.http.get(
        "/graphql", params={"query": LOGOUT}, headers={"Accept": "application/json"}
    )

    assert (response.status_code, response.json()) == (
        400,
        refusal("mutations are not allowed when using GET"),
    )


async def test_queries_run_on_get(client: GraphQLClient) -> None:
    response = await client.http.get(
        "/graphql", params={"query": "{ __typename }"}, headers={"Accept": "application/json"}
    )

    assert response.json()["data"] == {"__typename": "Query"}


GRAPHQL_RESPONSE_JSON = {"Accept": "application/graphql-response+json"}


async def test_with_the_graphql_response_media_type_an_operation_that_never_ran_is_a_400(
    client: GraphQLClient,
) -> None:
    # when a client that accepts application/graphql-response+json sends an invalid query,
    # a query with a bad variable, and a valid query that fails while running
    invalid = await client.raw("{ nosuchfield }", headers=GRAPHQL_RESPONSE_JSON)
    bad_variable = await client.raw(
        "query($n: Int) { accounts(first: $n) { totalCount } }",
        {"n": "many"},
        headers=GRAPHQL_RESPONSE_JSON,
    )
    ran = await client.raw("{ accounts { totalCount } }", headers=GRAPHQL_RESPONSE_JSON)

    # then the first two are 400s without `data`, the third a 200 with its error in place
    assert [r.headers["content-type"] for r in (invalid, bad_variable, ran)] == [
        "application/graphql-response+json; charset=utf-8"
    ] * 3
    assert (invalid.status_code, "data" in invalid.json()) == (400, False)
    assert (bad_variable.status_code, "data" in bad_variable.json()) == (400, False)
    assert (ran.status_code, ran.json()["data"]) == (200, None)
    assert ran.json()["errors"][0]["path"] == ["accounts"]


async def test_with_plain_json_every_well_formed_request_is_a_200(client: GraphQLClient) -> None:
    invalid = await client.raw("{ nosuchfield }", headers={"Accept": "application/json"})

    assert invalid.headers["content-type"] == "application/json"
    assert (invalid.status_code, invalid.json()["data"]) == (200, None)


INTROSPECTION = "{ __schema { queryType { name } } }"


async def test_introspection_can_be_switched_off(
    client: GraphQLClient, client_with: ClientWith
) -> None:
    on = await client.execute(INTROSPECTION)
    async with client_with(introspection=False) as off_client:
        off = await off_client.errors(INTROSPECTION)

    assert on == {"__schema": {"queryType": {"name": "Query"}}}
    assert [e["message"] for e in off] == [
        "GraphQL introspection has been disabled, but the requested query contained the field "
        f"'{name}'."
        for name in ("__schema", "queryType")
    ]


async def test_field_suggestions_can_be_switched_off(
    client: GraphQLClient, client_with: ClientWith
) -> None:
    on = await client.errors("{ viewr { kind } }")
    async with client_with(field_suggestions=False) as off_client:
        off = await off_client.errors("{ viewr { kind } }")

    assert [e["message"] for e in on] == [
        "Cannot query field 'viewr' on type 'Query'. Did you mean 'viewer'?"
    ]
    assert [e["message"] for e in off] == ["Cannot query field 'viewr' on type 'Query'."]


async def test_a_client_mistake_is_logged_as_info_without_a_trace(
    client: GraphQLClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="tradepost.errors"):
        response = await client.raw("{ nosuchfield }")

    assert [(r.levelname, r.getMessage(), r.exc_info) for r in caplog.records] == [
        ("INFO", "client error: Cannot query field 'nosuchfield' on type 'Query'.", None)
    ]
    assert caplog.records[0].__dict__["request_id"] == response.headers["X-Request-Id"]


async def test_graphiql_can_be_switched_off(client: GraphQLClient, client_with: ClientWith) -> None:
    on = await client.http.get("/graphql", headers={"Accept": "text/html"})
    async with client_with(graphiql=False) as off_client:
        off = await off_client.http.get("/graphql", headers={"Accept": "text/html"})

    assert on.status_code == 200 and "graphiql" in on.text.lower()
    assert off.status_code == 404


async def test_graphiql_can_load_its_assets_from_this_server(
    client_with: ClientWith,
) -> None:
    missing = npm_install("graphiql-assets", GRAPHIQL_ASSETS)
    if missing:
        pytest.skip(missing)
    async with client_with(graphiql_local_assets=True) as client:
        page = await client.http.get("/graphql", headers={"Accept": "text/html"})
        script = await client.http.get("/graphiql-assets/graphiql/graphiql.min.js")

    assert "unpkg.com" not in page.text
    assert 'src="/graphiql-assets/graphiql/graphiql.min.js"' in page.text
    assert script.status_code == 200


async def test_unexpected_errors_are_masked_with_a_request_id(
    client_with: ClientWith, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # given a resolver that fails unexpectedly
    from schema.customer_types import Viewer

    def broken(*_: object) -> None:
        raise RuntimeError("connection string postgres://secret")

    # (`Viewer.of` builds the viewer on both read paths: `schema.plans` falls back to the
    # generic path, which reports the error)
    monkeypatch.setattr(Viewer, "of", classmethod(broken))

    # when a client asks, in production and in debug
    async with client_with(debug=False) as client:
        with caplog.at_level(logging.INFO, logger="tradepost.errors"):
            masked = await client.raw("{ viewer { kind } }")
    logged_records = [r for r in caplog.records if r.name == "tradepost.errors"]
    async with client_with(debug=True) as client:
        debugged = await client.raw("{ viewer { kind } }")

    # then production shows only a request id, the one in the response header
    request_id = masked.headers["X-Request-Id"]
    assert masked.json()["errors"] == [
        {
            "message": f"Internal server error (request id {request_id})",
            "locations": [{"line": 1, "column": 3}],
            "path": ["viewer"],
            "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        }
    ]
    # and the server log has the trace under the same id
    [logged] = logged_records
    assert (logged.levelname, logged.__dict__["request_id"]) == ("ERROR", request_id)
    assert logged.exc_info is not None and "postgres://secret" in str(logged.exc_info[1])
    # and debug shows the error itself
    assert [e["message"] for e in debugged.json()["errors"]] == [
        "connection string postgres://secret"
    ]
