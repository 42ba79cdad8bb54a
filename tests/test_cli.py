"""The `tradepost` command, run as a user would run it, against a fresh SQLite file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "api.cli"]


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "cli.db"


def run(
    database: Path, *args: str, password: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "SECRET_KEY": "cli-secret-key-of-at-least-32-bytes",
    }
    if password:
        env["TRADEPOST_PASSWORD"] = password
    return subprocess.run(
        [*CLI, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def count(database: Path, table: str) -> int:
    with sqlite3.connect(database) as connection:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_migrate_seed_and_create_logins(database: Path) -> None:
    # given a migrated, seeded database
    assert run(database, "migrate").returncode == 0
    seeded = run(database, "seed", "--accounts", "250")
    again = run(database, "seed", "--if-empty")

    # when an operator adds a worker and an integrator's key
    worker = run(
        database,
        "create-worker",
        "--username",
        "ops",
        "--role",
        "sales_rep",
        "--rep-code",
        "rep09",
        password="an-operator-passphrase",
    )
    weak = run(database, "create-worker", "--username", "weak", "--role", "admin", password="x")
    key = run(database, "create-api-key", "--name", "ERP", "--scope", "sync")

    # then everything is in the database, and the mistakes are explained
    assert seeded.returncode == 0, seeded.stderr
    assert "Generated 250 accounts" in seeded.stdout
    assert "not seeding" in again.stdout
    assert count(database, "account") == 33 + 250  # the demo world (incl. 2 guest accounts)
    assert worker.returncode == 0, worker.stderr
    assert weak.returncode == 1
    assert "Password must be at least 12 characters" in weak.stderr
    assert key.stdout.strip().startswith("tpk_")
    with sqlite3.connect(database) as connection:
        assert connection.execute(
            "SELECT role, rep_code FROM worker WHERE username = 'ops'"
        ).fetchone() == ("SALES_REP", "REP09")


def test_schema_prints_the_sdl(database: Path) -> None:
    printed = run(database, "schema")

    assert printed.returncode == 0
    assert "type Query {" in printed.stdout
    assert "createAccount(input: CreateAccountInput!): CreateAccountPayload!" in printed.stdout
