"""A real server: `tradepost serve --workers 2` on 127.0.0.1 over the test database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api.app import GRAPHIQL_ASSETS
from core.settings import Settings
from tests.node_tools import ROOT, npm_install

PORT = int(os.environ.get("TRADEPOST_TEST_PORT", "8105"))
# Two workers importing the app on a busy 2-core machine have taken over 30 s.
STARTUP_SECONDS = 90


@dataclass
class LiveServer:
    url: str
    log: Path

    def log_lines(self) -> list[dict[str, Any]]:
        lines = []
        for line in self.log.read_text().splitlines():
            try:
                lines.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a worker's stray non-JSON output
        return lines


@contextmanager
def serving(env: dict[str, str], port: int, log: Path, workers: int = 2) -> Iterator[LiveServer]:
    """`tradepost serve` on 127.0.0.1:`port` with `env`, until the block ends."""
    command = [
        sys.executable,
        "-m",
        "api.cli",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    with log.open("w") as output:
        server = subprocess.Popen(
            [*command, "--host", "127.0.0.1"], cwd=ROOT, env=env, stdout=output, stderr=output
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if server.poll() is not None:
                pytest.fail(f"the server exited at start:\n{log.read_text()}")
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not start in {STARTUP_SECONDS}s:\n{log.read_text()}")
            time.sleep(0.2)
        yield LiveServer(url=url, log=log)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def live_server(
    settings: Settings, engine: AsyncEngine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    # GraphiQL from this server: the machines running the tests reach no CDN.
    npm_install("graphiql-assets", GRAPHIQL_ASSETS)
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "SECRET_KEY": settings.secret_key,
        "GRAPHIQL_LOCAL_ASSETS": str(GRAPHIQL_ASSETS.is_dir()).lower(),
        "LOG_FORMAT": "json",
    }
    with serving(env, PORT, tmp_path_factory.mktemp("live") / "server.log") as server:
        yield server
