"""The README's client examples run against a server over `make run`'s demo world: the Python
one (the `gql` client, a sales-rep app) and the JavaScript one (fetch, a storefront)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from tests.live.conftest import LiveServer, serving
from tests.node_tools import ROOT

PORT = int(os.environ.get("TRADEPOST_EXAMPLES_PORT", "8110"))


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A fresh SQLite database, migrated and seeded exactly as `make run` does."""
    folder = tmp_path_factory.mktemp("demo")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'demo.db'}",
        "SECRET_KEY": "examples-secret-key-of-at-least-32-bytes",
        "LOG_FORMAT": "text",
    }
    for step in (["migrate"], ["seed", "--if-empty"]):
        subprocess.run(
            [sys.executable, "-m", "api.cli", *step], cwd=ROOT, env=env, check=True, timeout=300
        )
    with serving(env, PORT, folder / "server.log", workers=1) as server:
        yield server


def run_example(*command: str) -> dict[str, Any]:
    finished = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert finished.returncode == 0, finished.stderr
    result: dict[str, Any] = json.loads(finished.stdout)
    return result


def test_the_python_sales_rep_example(demo_server: LiveServer) -> None:
    result = run_example(
        sys.executable,
        "examples/sales_rep.py",
        f"{demo_server.url}/graphql",
        "rep1",
        "tradepost-demo",
    )

    assert result["rep"] == {"username": "rep1", "repCode": "REP01"}
    assert result["accounts"] > 0
    assert result["active"]["code"].startswith("C10")
    assert set(result["active"]["balanceSummary"]) == {"balance", "balanceLimit", "overdue"}
    assert all(p["price"] is not None for p in result["prices"])


def test_the_javascript_storefront_example(demo_server: LiveServer) -> None:
    if shutil.which("node") is None:
        pytest.skip("node is not installed (Debian: nodejs)")

    result = run_example(
        "node", "examples/storefront.mjs", f"{demo_server.url}/graphql", "mary", "tradepost-demo"
    )

    assert result["viewer"]["activeAccount"]["code"] == "ABC1234"
    line = result["cart"]["lines"][0]
    assert line["quantity"] == 3
    assert line["lineTotal"] == result["cart"]["total"]
    assert result["cart"]["checkoutPreview"]["outcome"] in {"ORDER", "PENDING_APPROVAL"}
