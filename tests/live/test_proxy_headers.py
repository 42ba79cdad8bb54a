"""Against a real `tradepost serve`: only TRUSTED_PROXIES may name the client, the server shows
no banner, and the body limit holds for a chunked body on a real socket."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from domain.enums import WorkerRole
from tests.factories import PASSWORD, make_worker
from tests.graphql_client import GraphQLClient
from tests.live.conftest import serving

LOGIN = """
mutation Login($input: LoginInput!) {
  login(input: $input) { token errors { code } }
}
"""
LOG = """
query Log {
  credentialRequests(filter: {kind: LOGIN, usernameOrEmail: "ghost"}) {
    nodes { ipAddress outcome }
  }
}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def server_env(settings: Settings, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "SECRET_KEY": settings.secret_key,
        "LOG_FORMAT": "json",
        "RATE_LIMIT_FAILURES": "3",
        **extra,
    }


def guess(url: str, forged_ip: str) -> httpx.Response:
    return httpx.post(
        f"{url}/graphql",
        json={"query": LOGIN, "variables": {"input": {"username": "ghost", "password": "x"}}},
        headers={"X-Forwarded-For": forged_ip},
    )


def codes(response: httpx.Response) -> list[str]:
    return [e["code"] for e in response.json()["data"]["login"]["errors"]]


@pytest.fixture
def without_proxies(settings: Settings, tmp_path: Path) -> Iterator[str]:
    env = server_env(settings)
    env.pop("TRUSTED_PROXIES", None)
    with serving(env, free_port(), tmp_path / "direct.log", workers=1) as server:
        yield server.url


async def test_a_forged_forwarded_for_names_nobody_without_trusted_proxies(
    without_proxies: str, client: GraphQLClient, session: AsyncSession
) -> None:
    # given a worker who reads the credential-request log
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)

    # when a client on 127.0.0.1 guesses four times, each time claiming another address
    answers = [guess(without_proxies, f"203.0.113.{n}") for n in range(4)]

    # then every guess is its own peer's: the fourth is refused by the limit of three
    assert [codes(answer) for answer in answers] == [["INVALID_CREDENTIALS"]] * 3 + [
        ["RATE_LIMITED"]
    ]
    worker = await client.login("service", PASSWORD)
    log = await client.execute(LOG, token=worker)
    assert {n["ipAddress"] for n in log["credentialRequests"]["nodes"]} == {"127.0.0.1"}
    # and the server names no software
    assert "server" not in answers[0].headers


async def test_a_trusted_proxy_names_the_client(
    settings: Settings, tmp_path: Path, client: GraphQLClient, session: AsyncSession
) -> None:
    # given a worker, and a server behind a proxy on 127.0.0.1
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    env = server_env(settings, TRUSTED_PROXIES=json.dumps(["127.0.0.1"]))

    with serving(env, free_port(), tmp_path / "proxied.log", workers=1) as server:
        # when the proxy forwards a guess from a client
        guess(server.url, "198.51.100.7")

    # then the log names the proxy's client
    worker = await client.login("service", PASSWORD)
    log = await client.execute(LOG, token=worker)
    assert [n["ipAddress"] for n in log["credentialRequests"]["nodes"]] == ["198.51.100.7"]


def test_a_chunked_body_over_the_limit_is_cut_off(settings: Settings, tmp_path: Path) -> None:
    env = server_env(settings, MAX_REQUEST_BODY_BYTES="2000")

    def body() -> Iterator[bytes]:
        yield b'{"query": "{ __typename }", "variables": {"pad": "'
        for _ in range(100):
            yield b"x" * 100
        yield b'"}}'

    with serving(env, free_port(), tmp_path / "limit.log", workers=1) as server:
        # when a client streams 10 kB in chunks, without a Content-Length
        response = httpx.post(
            f"{server.url}/graphql", content=body(), headers={"Content-Type": "application/json"}
        )

    # then the real server answers 413 with a GraphQL error body
    assert response.request.headers["transfer-encoding"] == "chunked"
    expected: dict[str, Any] = {
        "errors": [
            {
                "message": "The request body is larger than 2000 bytes",
                "extensions": {"code": "PAYLOAD_TOO_LARGE"},
            }
        ]
    }
    assert (response.status_code, response.json()) == (413, expected)
