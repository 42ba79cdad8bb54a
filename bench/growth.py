"""`python -m bench.run --growth`: how a read's cost grows with its page and with its table —
SQL statements and CPU per returned object of the worker grid's `accounts(first: N)` for
N = 1, 20, 100, on databases seeded with 1,000 and 100,000 generated accounts (in-process, no
HTTP, each answer checked to be a success)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.probe import in_process
from bench.scenarios import GRID, Scenario, graphql
from bench.world import DEMO_PASSWORD

PAGES = (1, 20, 100)
# Timed requests per figure: a 1-row page costs little, so average over more than the probe's.
REPEAT = 20


@dataclass
class Growth:
    accounts: int
    first: int
    statements: int
    objects: int
    cpu_ms: float

    @property
    def cpu_us_per_object(self) -> float:
        return self.cpu_ms * 1000 / self.objects


def _grid(first: int) -> Scenario:
    return graphql(
        f"accounts(first: {first})",
        "the worker grid's page",
        GRID,
        login="admin",
        variables=lambda _w, _c, _n: {"first": first},
        expect=lambda data: len(data["accounts"]["nodes"]) == first,
    )


async def measure(database_url: str, secret_key: str, accounts: int) -> list[Growth]:
    rows = []
    async with in_process(database_url, secret_key) as app:
        token = await app.login("admin", DEMO_PASSWORD)
        for first in PAGES:
            body: dict[str, object] = {"query": GRID, "variables": {"first": first}}
            await app.post(body, token)  # warm-up
            probe = await app.probe(_grid(first), body, token, timed=True, repeat=REPEAT)
            assert probe.cpu_ms is not None
            rows.append(Growth(accounts, first, probe.statements, probe.objects, probe.cpu_ms))
    return rows


def seed(folder: Path, accounts: int, env: dict[str, str]) -> str:
    """A SQLite database of the demo world plus `accounts` generated ones; says how long."""
    database_url = f"sqlite+aiosqlite:///{folder / f'growth-{accounts}.db'}"
    env = {**env, "DATABASE_URL": database_url}
    started = time.monotonic()
    for args in (("migrate",), ("seed", "--accounts", str(accounts))):
        subprocess.run(
            [sys.executable, "-m", "api.cli", *args],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    print(f"seeded {accounts:,} accounts in {time.monotonic() - started:.1f} s", flush=True)
    return database_url


def run(folder: Path, counts: Sequence[int], env: dict[str, str]) -> None:
    rows: list[Growth] = []
    for accounts in counts:
        database_url = seed(folder, accounts, env)
        rows += asyncio.run(measure(database_url, env["SECRET_KEY"], accounts))
    print("| generated accounts | page | SQL/req | objects/req | CPU ms/req | CPU µs/object |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r.accounts:,} | accounts(first: {r.first}) | {r.statements} | {r.objects} "
            f"| {r.cpu_ms:.2f} | {r.cpu_us_per_object:.1f} |"
        )
