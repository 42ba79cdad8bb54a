"""Every response carries the OWASP secure headers for a JSON API, whatever answered it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import WorkerRole
from tests.factories import PASSWORD, make_worker
from tests.graphql_client import GraphQLClient

API_POLICY = "default-src 'none'; base-uri 'none'; frame-ancestors 'none'"
EVERY_RESPONSE = {
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-resource-policy": "same-origin",
}


def security_headers(response: httpx.Response) -> dict[str, Any]:
    names = [*EVERY_RESPONSE, "content-security-policy", "strict-transport-security"]
    return {name: response.headers.get(name) for name in names}


@pytest.mark.parametrize(
    ("method", "path", "request_args"),
    [
        pytest.param("POST", "/graphql", {"json": {"query": "{ viewer { kind } }"}}, id="query"),
        pytest.param("POST", "/graphql", {"content": b"null"}, id="refused-body"),
        pytest.param("GET", "/graphql", {"params": {"query": "{ __typename }"}}, id="get-query"),
        pytest.param("POST", "/graphql", {"json": [{"query": "{ __typename }"}]}, id="batch-off"),
        pytest.param("GET", "/healthz", {}, id="healthz"),
        pytest.param("GET", "/readyz", {}, id="readyz"),
        pytest.param("GET", "/nowhere", {}, id="not-found"),
    ],
)
async def test_every_response_carries_the_security_headers(
    client: GraphQLClient, method: str, path: str, request_args: dict[str, Any]
) -> None:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    response = await client.http.request(method, path, headers=headers, **request_args)

    assert security_headers(response) == {
        **EVERY_RESPONSE,
        "content-security-policy": API_POLICY,
        "strict-transport-security": None,
    }


async def test_a_signed_in_viewers_answer_is_never_stored(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a signed-in worker
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    token = await client.login("admin", PASSWORD)

    # when it reads its own data
    response = await client.raw("{ viewer { kind } }", token=token)

    # then no cache along the way may keep it
    assert response.json()["data"] == {"viewer": {"kind": "WORKER"}}
    assert response.headers["cache-control"] == "no-store"


async def test_graphiql_may_run_its_scripts_but_never_be_framed(client: GraphQLClient) -> None:
    page = await client.http.get("/graphql", headers={"Accept": "text/html"})

    assert page.headers["content-type"].startswith("text/html")
    assert security_headers(page) == {
        **EVERY_RESPONSE,
        "content-security-policy": "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        "strict-transport-security": None,
    }


async def test_https_responses_ask_browsers_to_stay_on_https(client: GraphQLClient) -> None:
    response = await client.http.post(
        "https://testserver/graphql", json={"query": "{ __typename }"}
    )

    assert response.headers["strict-transport-security"] == "max-age=31536000"
