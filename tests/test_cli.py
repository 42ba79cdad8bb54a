"""The `tradepost` command, run as a user would run it, against a fresh SQLite file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

CLI = [sys.executable, "-m", "api.cli"]


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "cli.db"


def cli_environment(database: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "SECRET_KEY": "cli-secret-key-of-at-least-32-bytes",
    }


def run(
    database: Path, *args: str, password: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = cli_environment(database)
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


def test_commands_that_need_a_migrated_database_say_so_and_create_nothing(
    database: Path, tmp_path: Path
) -> None:
    # when a command runs against a database file that does not exist
    seeded = run(database, "seed")
    worker = run(database, "create-worker", "--username", "ops", "--role", "admin", password="x")
    outbox = run(database, "outbox")
    webhooks = run(database, "deliver-webhooks")

    # then each says the database is missing, naming the DATABASE_URL, with no traceback, and
    # leaves no empty file behind
    for result in (seeded, worker, outbox, webhooks):
        assert result.returncode == 1
        assert f"DATABASE_URL=sqlite+aiosqlite:///{database}" in result.stderr
        assert "tradepost migrate" in result.stderr
        assert "Traceback" not in result.stderr and "OperationalError" not in result.stderr
    assert not database.exists()

    # and a database without the schema is named as not migrated
    sqlite3.connect(tmp_path / "empty.db").close()
    empty = run(tmp_path / "empty.db", "seed")
    assert empty.returncode == 1
    assert "is not migrated" in empty.stderr


def test_seed_reset_restores_the_demo_world_and_unblock_lifts_a_block(database: Path) -> None:
    # given the demo world, changed by a walkthrough and with an IP blocked by failed logins
    assert run(database, "migrate").returncode == 0
    assert run(database, "seed").returncode == 0
    addresses = count(database, "address")
    with sqlite3.connect(database) as connection:
        original = connection.execute("SELECT id, password_hash FROM contact").fetchall()
        connection.execute("UPDATE contact SET password_hash = 'changed' WHERE username = 'mary'")
        connection.execute("DELETE FROM address WHERE kind = 'SHIPPING'")
        connection.executemany(
            "INSERT INTO credential_request (kind, ip_address, username_or_email, outcome,"
            " occurred_at) VALUES ('LOGIN', '127.0.0.1', 'mary', 'FAILURE', ?)",
            [(datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f"),)] * 6,
        )

    # when the developer unblocks localhost and resets the demo world
    unblocked = run(database, "unblock", "--ip", "127.0.0.1")
    reset = run(database, "seed", "--reset")

    # then the attempts stop counting, and the world is as first seeded, ids included
    assert unblocked.returncode == 0, unblocked.stderr
    assert "Cleared 6 counted attempts" in unblocked.stdout
    assert reset.returncode == 0, reset.stderr
    assert count(database, "account") == 33
    assert count(database, "address") == addresses
    assert count(database, "credential_request") == 0
    with sqlite3.connect(database) as connection:
        ids = connection.execute("SELECT id FROM contact ORDER BY id").fetchall()
        mary = connection.execute("SELECT password_hash FROM contact WHERE username = 'mary'")
        assert ids == sorted((row[0],) for row in original)
        assert mary.fetchone()[0].startswith("$argon2id$")


def test_start_says_each_step_and_a_restart_skips_the_work(database: Path) -> None:
    """`make run` is `tradepost start`: migrate and seed a new database, then serve; on a
    migrated, seeded one only serve."""
    env = {**cli_environment(database), "LOG_FORMAT": "text"}
    port = int(os.environ.get("TRADEPOST_START_PORT", "8121"))

    def start() -> str:
        server = subprocess.Popen(
            [*CLI, "start", "--port", str(port)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline and server.poll() is None:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).is_success:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
        finally:
            server.terminate()
            output, _ = server.communicate(timeout=30)
        return output

    # when a developer runs it on a new database, and again
    first = start()
    again = start()

    # then the first run migrates and seeds, saying so, and the second only serves
    assert "[1/3] migrations: applying" in first and "[2/3] demo data: loading" in first
    assert "Loaded the demo world in" in first
    assert "[1/3] migrations: up to date" in again
    assert "[2/3] demo data: the database has 33 accounts; not seeding" in again
    assert "[3/3] serving on" in again and "Application startup complete" in again
