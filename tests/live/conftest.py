"""A real server: `tradepost serve --workers 2` on 127.0.0.1 over the test database, and the node
tools (`make node-tools`) that talk to it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api.app import GRAPHIQL_ASSETS
from api.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
NODE_TOOLS = ROOT / "tests" / "node"
PORT = int(os.environ.get("TRADEPOST_TEST_PORT", "8105"))
STARTUP_SECONDS = 30


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


def npm_install(make_target: str, folder: Path) -> str | None:
    """Run `make <target>` unless `folder` is there; the reason it could not, or None."""
    if folder.is_dir():
        return None
    if shutil.which("node") is None or shutil.which("npm") is None:
        return "node and npm are not installed (Debian: nodejs, npm)"
    install = subprocess.run(
        ["make", make_target], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if install.returncode != 0:
        return f"`make {make_target}` failed (no npm registry?):\n{install.stderr[-2000:]}"
    return None


@pytest.fixture(scope="module")
def live_server(
    settings: Settings, engine: AsyncEngine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    # GraphiQL from this server: the machines running the tests reach no CDN.
    npm_install("graphiql-assets", GRAPHIQL_ASSETS)
    log = tmp_path_factory.mktemp("live") / "server.log"
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "SECRET_KEY": settings.secret_key,
        "GRAPHIQL_LOCAL_ASSETS": str(GRAPHIQL_ASSETS.is_dir()).lower(),
        "LOG_FORMAT": "json",
    }
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(PORT), "--workers", "2"]
    with log.open("w") as output:
        server = subprocess.Popen(
            [*command, "--host", "127.0.0.1"], cwd=ROOT, env=env, stdout=output, stderr=output
        )
    url = f"http://127.0.0.1:{PORT}"
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


def node_tool(script: str, *arguments: str, timeout: float = 120) -> str:
    """Run tests/node/<script> with node, installing the node tools first if they are missing;
    skip with the reason when node or the npm registry is not available."""
    missing = npm_install("node-tools", NODE_TOOLS / "node_modules")
    if missing:
        pytest.skip(missing)
    run = subprocess.run(
        ["node", str(NODE_TOOLS / script), *arguments],
        cwd=NODE_TOOLS,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert run.returncode == 0, f"{script} failed:\n{run.stdout}\n{run.stderr}"
    return run.stdout
