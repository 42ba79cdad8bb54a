"""Each request logs one line with its request id, operation name, status, duration and the SQL
statements its own session sent."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api.app import create_app
from core.settings import Settings
from domain.enums import WorkerRole
from tests.conftest import StatementCounter
from tests.factories import PASSWORD, make_account, make_worker
from tests.graphql_client import GraphQLClient

ACCOUNTS = "query Accounts { accounts(first: 5) { totalCount nodes { code } } }"


async def test_the_request_line_counts_the_sql_the_request_sent(
    client: GraphQLClient,
    session: AsyncSession,
    sql_counter: StatementCounter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given a staff worker and two accounts
    await make_account(session, code="LOG1")
    await make_account(session, code="LOG2")
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    token = await client.login("admin", PASSWORD)
    sql_counter.reset()
    caplog.clear()

    # when it lists accounts
    with caplog.at_level(logging.INFO, logger="tradepost.request"):
        response = await client.raw(ACCOUNTS, token=token)

    # then one line tells the request's id, operation, status and its own SQL statements
    [line] = [r for r in caplog.records if r.name == "tradepost.request"]
    assert line.__dict__["request_id"] == response.headers["X-Request-Id"]
    assert line.__dict__["operation_name"] == "Accounts"
    assert line.__dict__["status"] == 200
    assert line.__dict__["duration_ms"] > 0
    # (the engine-wide counter also sees SQLite's BEGIN, which is a transaction, not a statement)
    sent = [s for s in sql_counter.statements if not s.startswith("BEGIN")]
    assert line.__dict__["sql_statements"] == len(sent) == 3  # the session, a page, the count
    # and which read path answered: this query's fields are all planned
    assert line.__dict__["read_path"] == "planned"


async def test_the_request_line_says_the_generic_path_answered_an_unplanned_query(
    client: GraphQLClient, session: AsyncSession, caplog: pytest.LogCaptureFixture
) -> None:
    # given a worker
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    token = await client.login("admin", PASSWORD)

    # when it reads a field the planner does not cover, and a planned one as anonymous
    with caplog.at_level(logging.INFO, logger="tradepost.request"):
        await client.raw("{ viewer { quotes { totalCount } } }", token=token)
        await client.raw(ACCOUNTS)

    # then both lines say the generic path answered
    lines = [r for r in caplog.records if r.name == "tradepost.request"]
    assert [line.__dict__["read_path"] for line in lines] == ["generic", "generic"]


async def test_an_unexpected_error_outside_graphql_is_masked_unless_debugging(
    settings: Settings,
    engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given authentication failing unexpectedly
    import api.app

    async def broken(*_: object, **__: object) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(api.app, "authenticate", broken)

    async def post(*, debug: bool) -> httpx.Response:
        app = create_app(settings.model_copy(update={"debug": debug}), engine)
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            return await http.post("/graphql", json={"query": "{ __typename }"})

    # when a request comes in production and in debug
    with caplog.at_level(logging.INFO):
        production = await post(debug=False)
    debugging = await post(debug=True)

    # then production says only that it failed, with the request id its logged trace has
    request_id = production.headers["X-Request-Id"]
    assert (production.status_code, production.json()) == (
        500,
        {
            "errors": [
                {
                    "message": f"Internal server error (request id {request_id})",
                    "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
                }
            ]
        },
    )
    [logged] = [r for r in caplog.records if r.name == "tradepost.errors"]
    assert (logged.levelname, logged.__dict__["request_id"]) == ("ERROR", request_id)
    assert logged.exc_info is not None and "secret detail" in str(logged.exc_info[1])
    [line] = [r for r in caplog.records if r.name == "tradepost.request"]
    assert (line.__dict__["request_id"], line.__dict__["status"]) == (request_id, 500)
    # and debug shows the trace
    assert debugging.status_code == 500
    assert "RuntimeError: secret detail" in debugging.text


LOGOUT = "mutation Logout { logout { errors { code } } }"


@pytest.mark.parametrize(
    ("method", "content_type", "body", "status"),
    [
        pytest.param("GET", None, None, 400, id="mutation-on-get"),
        pytest.param("POST", "text/plain", json.dumps({"query": LOGOUT}), 400, id="text-plain"),
        pytest.param("POST", "application/json", "{", 400, id="broken-json"),
        pytest.param("PUT", "application/json", json.dumps({"query": LOGOUT}), 405, id="put"),
    ],
)
async def test_a_refused_request_is_logged_with_its_status_and_carries_its_request_id(
    client: GraphQLClient,
    caplog: pytest.LogCaptureFixture,
    method: str,
    content_type: str | None,
    body: str | None,
    status: int,
) -> None:
    # when a request is refused before any operation runs
    with caplog.at_level(logging.INFO, logger="tradepost.request"):
        response = await client.http.request(
            method,
            "/graphql",
            params={"query": LOGOUT} if method == "GET" else None,
            content=body,
            headers={"Content-Type": content_type} if content_type else {},
        )

    # then the response and its log line tell the same status and request id
    [line] = [r for r in caplog.records if r.name == "tradepost.request"]
    assert response.status_code == status
    assert (line.__dict__["status"], line.__dict__["request_id"]) == (
        status,
        response.headers["X-Request-Id"],
    )
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == ("BAD_REQUEST" if status == 400 else "METHOD_NOT_ALLOWED")
    assert response.headers.get("allow") == ("GET, POST" if status == 405 else None)
