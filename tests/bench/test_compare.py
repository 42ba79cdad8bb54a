"""`--compare REF` runs REF's code from a temporary worktree of its own, removed afterwards."""

from __future__ import annotations

import os
import subprocess

from bench.compare import REPOSITORY, checked_out
from bench.scenarios import SCENARIOS


def _worktrees() -> str:
    return subprocess.run(
        ["git", "worktree", "list"], cwd=REPOSITORY, check=True, capture_output=True, text=True
    ).stdout


def test_ref_runs_from_its_own_worktree_which_is_removed_afterwards() -> None:
    with checked_out("HEAD") as ref:
        # REF's own scenarios, by this bench's names, and its own code on the servers' path
        assert ref.tree.is_dir() and str(ref.tree) in _worktrees()
        assert [s.name for s in ref.scenarios] == [s.name for s in SCENARIOS]
        assert all(s.__module__.startswith("bench_ref_") for s in ref.scenarios)
        ref.check_imports_its_own_code(ref.env(dict(os.environ), "sqlite+aiosqlite:///unused"))
    assert not ref.tree.exists()
    assert str(ref.tree) not in _worktrees()
