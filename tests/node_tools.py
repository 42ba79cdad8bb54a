"""The node tools some tests drive, installed from the npm registry on first use into git-ignored
folders (`make node-tools`, `make graphiql-assets`). `SKIP_NODE_TESTS=1` skips the tests that need
them, without installing anything."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NODE_TOOLS = ROOT / "tests" / "node"


def npm_install(make_target: str, folder: Path) -> str | None:
    """Run `make <target>` unless `folder` is there; the reason it could not, or None."""
    if folder.is_dir():
        return None
    if os.environ.get("SKIP_NODE_TESTS"):
        return "SKIP_NODE_TESTS is set: nothing is installed from the npm registry"
    if shutil.which("node") is None or shutil.which("npm") is None:
        return "node and npm are not installed (Debian: nodejs, npm)"
    install = subprocess.run(
        ["make", make_target], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if install.returncode != 0 or not folder.is_dir():
        output = (install.stdout + install.stderr)[-2000:]
        return f"`make {make_target}` installed nothing (no npm registry?):\n{output}"
    return None


def node_tool(script: str, *arguments: str, timeout: float = 120) -> str:
    """Run tests/node/<script> with node, installing the node tools first if they are missing;
    skip with the reason when node or the npm registry is not available, or SKIP_NODE_TESTS is
    set."""
    if os.environ.get("SKIP_NODE_TESTS"):
        pytest.skip("SKIP_NODE_TESTS is set")
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
