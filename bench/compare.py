"""Another commit's server for `--compare REF`: REF checked out into a temporary git worktree,
its own database migrated and seeded by REF's own command line, its server run from that
worktree with this venv, and its bench world prepared by REF's own `bench/world.py` and driven
with REF's own documents (an old commit's schema may not accept today's, e.g. lists that were
since made connections)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from bench import world as this_world
from bench.scenarios import SCENARIOS, Scenario

REPOSITORY = Path(__file__).resolve().parents[1]


@dataclass
class Ref:
    """REF's worktree, and what the bench needs from its code."""

    name: str
    tree: Path
    scenarios: list[Scenario]
    prepare: Callable[..., None]

    def env(self, env: dict[str, str], database_url: str) -> dict[str, str]:
        """Its commands' environment: REF's packages first on the path, its own database."""
        return {**env, "PYTHONPATH": str(self.tree), "DATABASE_URL": database_url}

    def cli(self, *args: str, env: dict[str, str]) -> None:
        subprocess.run([sys.executable, "-m", "api.cli", *args], cwd=self.tree, env=env, check=True)

    def check_imports_its_own_code(self, env: dict[str, str]) -> None:
        """The venv holds this build as an editable install: make sure REF's `api` wins."""
        found = subprocess.run(
            [sys.executable, "-c", "import api; print(api.__file__)"],
            cwd=self.tree,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        if not Path(found).resolve().is_relative_to(self.tree.resolve()):
            raise RuntimeError(f"{self.name}'s server would import {found}, not its own code")


def _load(path: Path, name: str) -> ModuleType | None:
    """REF's module at `path` under its own name; its `bench.…` imports resolve to this bench's
    (the load generator and World), which the documents and preparation only call into."""
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _ref_code(name: str, tree: Path) -> tuple[list[Scenario], Callable[..., None]]:
    """REF's scenarios, each name replaced by REF's own version where REF has it, and REF's
    world preparation (this bench's where REF predates them)."""
    scenarios_module = _load(tree / "bench" / "scenarios.py", f"bench_ref_{name}_scenarios")
    world_module = _load(tree / "bench" / "world.py", f"bench_ref_{name}_world")
    theirs: dict[str, Any] = {s.name: s for s in getattr(scenarios_module, "SCENARIOS", [])}
    scenarios = [theirs.get(s.name, s) for s in SCENARIOS]
    prepare = getattr(world_module, "prepare", this_world.prepare)
    return scenarios, prepare


@contextmanager
def checked_out(ref: str) -> Iterator[Ref]:
    """REF in a detached temporary worktree, removed afterwards whatever happens."""
    folder = Path(tempfile.mkdtemp(prefix="tradepost-ref-"))
    tree = folder / "tree"
    subprocess.run(
        ["git", "worktree", "add", "--detach", "--quiet", str(tree), ref],
        cwd=REPOSITORY,
        check=True,
    )
    try:
        name = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=tree,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        yield Ref(name, tree, *_ref_code(name, tree))
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=REPOSITORY)
        shutil.rmtree(folder, ignore_errors=True)
