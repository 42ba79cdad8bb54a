"""Against a real `tradepost serve --workers 2`: GraphQL over HTTP conformance, GraphiQL in a
headless browser, and the structured request log."""

from __future__ import annotations

import json
import shutil
import time

import httpx
import pytest

from api.app import GRAPHIQL_ASSETS
from tests.live.conftest import LiveServer
from tests.node_tools import node_tool

CHROMIUM = shutil.which("chromium")


def test_the_server_passes_the_whole_graphql_over_http_audit(
    live_server: LiveServer,
) -> None:
    # when graphql-http's auditServer runs against /graphql
    results = json.loads(node_tool("audit.mjs", f"{live_server.url}/graphql"))

    # then no MUST ("error") and no SHOULD ("warn") is broken
    assert results, "the audit ran no check"
    assert [r for r in results if r["status"] != "ok"] == []


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_graphiql_runs_a_query_in_a_real_browser(live_server: LiveServer) -> None:
    if not GRAPHIQL_ASSETS.is_dir():
        pytest.skip("GraphiQL's assets could not be installed (`make graphiql-assets`)")
    # when a person opens GraphiQL, types a query and runs it
    shown = node_tool("graphiql.mjs", f"{live_server.url}/graphql", "query Who { viewer { kind } }")

    # then the response pane shows the server's answer
    assert json.loads(shown)["data"] == {"viewer": {"kind": "ANONYMOUS"}}


def test_every_request_is_logged_as_json_with_its_sql_statement_count(
    live_server: LiveServer,
) -> None:
    # when a client sends a named operation that reads the database
    response = httpx.post(
        f"{live_server.url}/graphql",
        json={"query": "query Whoami { viewer { kind } }", "operationName": "Whoami"},
        headers={"Authorization": "Bearer tps_unknown"},
    )
    named = httpx.post(f"{live_server.url}/graphql", json={"query": "query Hello { __typename }"})
    request_ids = {response.headers["X-Request-Id"], named.headers["X-Request-Id"]}

    # then each has one JSON line with its id, operation, status, duration and SQL count
    lines: list[dict[str, object]] = []
    deadline = time.monotonic() + 5
    while len(lines) < 2 and time.monotonic() < deadline:
        lines = [line for line in live_server.log_lines() if line.get("request_id") in request_ids]
        time.sleep(0.1)
    by_id = {line["request_id"]: line for line in lines}
    unknown_token = by_id[response.headers["X-Request-Id"]]
    hello = by_id[named.headers["X-Request-Id"]]
    assert (unknown_token["status"], unknown_token["sql_statements"]) == (401, 1)
    assert hello["operation_name"] == "Hello"
    assert (hello["status"], hello["sql_statements"]) == (200, 0)
    assert {"time", "level", "logger", "message", "duration_ms"} <= hello.keys()
    assert hello["logger"] == "tradepost.request"


def test_serve_workers_runs_that_many_processes(live_server: LiveServer) -> None:
    # given `tradepost serve --workers 2` (the fixture) has answered a request
    httpx.get(f"{live_server.url}/healthz")

    # then two worker processes start, each logging in JSON (the second may still be starting
    # when the first answers: under load that takes seconds)
    deadline = time.monotonic() + 30
    while True:
        started = {
            line["message"]
            for line in live_server.log_lines()
            if str(line["message"]).startswith("Started server process")
        }
        if len(started) >= 2 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert len(started) == 2
