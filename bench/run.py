"""Run the benchmark and print a table: `python -m bench.run [--accounts 10000] [--seconds 10]`.

It migrates and seeds a database (SQLite in a temporary folder unless --database-url names
another), starts `tradepost serve` with 1 and with 2 workers on 127.0.0.1, drives each scenario
with closed-loop clients from this process, and reports requests/s, p50/p99 latency, SQL statements
and returned objects per request (measured in-process through the ASGI app), server CPU µs per
returned object, and each figure's ratio to the floors measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.loadgen import run_load
from bench.scenarios import SCENARIOS, Scenario, World
from bench.world import prepare

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Row:
    scenario: str
    workers: int
    throughput: float
    p50_ms: float
    p99_ms: float
    statements: int | None
    objects: int | None
    cpu_us_per_object: float | None
    failures: int
    floor_ratio: float | None = None


def cli(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "api.cli", *args], env=env, check=True)


def process_tree_cpu_seconds(root: int) -> float:
    """CPU (user + system) of `root` and its children, from /proc."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if pid == root or ppid == root:
            total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return total


def wait_until_up(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


TRANSACTION_STATEMENTS = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
# Requests the in-process probe times after its warm-up, for CPU per request without HTTP.
PROBE_REPEAT = 5


@dataclass
class Probe:
    """One in-process request of a scenario: what it cost and returned."""

    statements: int
    transaction_statements: int
    objects: int
    cpu_ms: float | None  # per request; None where the scenario consumes its data


def payload_errors(value: Any) -> list[Any]:
    """Non-empty `errors` lists anywhere in a GraphQL answer's data (mutation payloads)."""
    if isinstance(value, dict):
        found = list(value.get("errors") or [])
        return found + [e for v in value.values() for e in payload_errors(v)]
    if isinstance(value, list):
        return [e for v in value for e in payload_errors(v)]
    return []


def check_answer(scenario: Scenario, payload: dict[str, Any]) -> None:
    """Refuse an answer with errors or of the wrong shape: a figure must count a success."""
    data = payload.get("data")
    problems = payload.get("errors") or payload_errors(data)
    if problems or data is None or not scenario.expect(data):
        raise RuntimeError(f"{scenario.name}: the probe's answer is not a success: {payload}")


def count_objects(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + sum(count_objects(v) for v in value.values())
    if isinstance(value, list):
        return sum(count_objects(v) for v in value)
    return 0


async def measure_in_process(database_url: str, world: World) -> dict[str, Probe]:
    """SQL statements, returned objects and CPU of one request per GraphQL scenario, each answer
    checked to be a success."""
    import httpx
    from sqlalchemy import event

    from api.app import create_app
    from core.settings import Settings

    app = create_app(Settings(database_url=database_url, secret_key=os.environ["SECRET_KEY"]))
    engine = app.state.engine
    statements: list[str] = []
    transactions: list[str] = []

    def count(_c: Any, _cur: Any, statement: str, *_a: Any) -> None:
        kind = statement.lstrip().upper()
        (transactions if kind.startswith(TRANSACTION_STATEMENTS) else statements).append(kind)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    results: dict[str, Probe] = {}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for scenario in SCENARIOS:
            if scenario.body is None:
                continue
            body, token = scenario.body(world)
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            check_answer(
                scenario, (await client.post("/graphql", json=body, headers=headers)).json()
            )
            if scenario.max_requests:  # it consumed its data: a fresh body for the counted one
                body, token = scenario.body(world)
            statements.clear()
            transactions.clear()
            response = await client.post("/graphql", json=body, headers=headers)
            payload = response.json()
            check_answer(scenario, payload)
            probe = Probe(len(statements), len(transactions), count_objects(payload["data"]), None)
            if not scenario.max_requests:
                started = time.process_time()
                for _ in range(PROBE_REPEAT):
                    check_answer(
                        scenario, (await client.post("/graphql", json=body, headers=headers)).json()
                    )
                probe.cpu_ms = (time.process_time() - started) / PROBE_REPEAT * 1000
            results[scenario.name] = probe
    await engine.dispose()
    return results


def run_scenarios(
    port: int,
    workers: int,
    world: World,
    measured: dict[str, Probe],
    args: argparse.Namespace,
) -> list[Row]:
    rows: list[Row] = []
    for scenario in SCENARIOS:
        if not (scenario.is_floor or not args.only or any(w in scenario.name for w in args.only)):
            continue
        # A scenario that consumes its data (checkout) runs once.
        runs = 1 if scenario.max_requests else args.repeat
        tries = [
            asyncio.run(drive(scenario, port, workers, world, measured, args)) for _ in range(runs)
        ]
        rows.append(max(tries, key=lambda row: row.throughput))
    floors = {
        r.scenario: r.throughput
        for r in rows
        if r.scenario in ("transport floor", "framework floor")
    }
    for row in rows:
        if floors.get("transport floor"):
            row.floor_ratio = row.throughput / floors["transport floor"]
    return rows


async def drive(
    scenario: Scenario,
    port: int,
    workers: int,
    world: World,
    measured: dict[str, Probe],
    args: argparse.Namespace,
) -> Row:
    next_request = scenario.requests(world)
    limit = scenario.max_requests(world) if scenario.max_requests else None
    if limit is None:  # a scenario that consumes its data gets no warm-up
        await run_load("127.0.0.1", port, next_request, clients=args.clients, seconds=1)
    before = process_tree_cpu_seconds(args.server_pid)
    result = await run_load(
        "127.0.0.1",
        port,
        next_request,
        clients=args.clients,
        seconds=args.seconds if limit is None else 600,
        max_requests=limit,
    )
    cpu = process_tree_cpu_seconds(args.server_pid) - before
    probe = measured.get(scenario.name)
    statements, objects = (probe.statements, probe.objects) if probe else (None, None)
    per_object = None
    if objects and result.latencies:
        per_object = cpu / (len(result.latencies) * objects) * 1e6
    return Row(
        scenario=scenario.name,
        workers=workers,
        throughput=result.throughput,
        p50_ms=result.percentile(50) * 1000,
        p99_ms=result.percentile(99) * 1000,
        statements=statements,
        objects=objects,
        cpu_us_per_object=per_object,
        failures=result.failures + result.bodies_with_errors,
    )


def print_table(rows: list[Row]) -> None:
    header = (
        "| scenario | workers | req/s | p50 ms | p99 ms | p99/p50 | SQL/req | objects/req "
        "| CPU µs/object | x transport floor | failed |"
    )
    print(header)
    print("|" + "---|" * 11)
    for r in rows:
        print(
            f"| {r.scenario} | {r.workers} | {r.throughput:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} "
            f"| {r.p99_ms / r.p50_ms:.1f} | {r.statements if r.statements is not None else '-'} "
            f"| {r.objects if r.objects is not None else '-'} "
            f"| {f'{r.cpu_us_per_object:.1f}' if r.cpu_us_per_object else '-'} "
            f"| {f'{r.floor_ratio:.2f}' if r.floor_ratio else '-'} | {r.failures} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url")
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--port", type=int, default=8188)
    parser.add_argument("--checkouts-per-client", type=int, default=10)
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run each scenario this many times and keep the fastest run (other load on a "
        "shared machine only ever slows a run down)",
    )
    parser.add_argument(
        "--only",
        type=lambda text: text.split(","),
        default=[],
        help="run the floors and the scenarios whose names contain one of these words "
        "(comma-separated, e.g. grid,detail)",
    )
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="tradepost-bench-"))
    database_url = args.database_url or f"sqlite+aiosqlite:///{folder / 'bench.db'}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-secret-key-of-at-least-32-bytes",
    }
    os.environ.update({"SECRET_KEY": env["SECRET_KEY"]})
    print(f"database: {database_url}; seeding {args.accounts} accounts …", flush=True)
    cli("migrate", env=env)
    cli("seed", "--accounts", str(args.accounts), env=env)

    rows: list[Row] = []
    measured: dict[str, Probe] | None = None
    for workers in (int(w) for w in args.workers.split(",")):
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "api.cli",
                "serve",
                "--port",
                str(args.port),
                "--workers",
                str(workers),
            ],
            env={**env, "LOG_LEVEL": "warning"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_up(args.port)
            world = World(host="127.0.0.1", port=args.port)
            world.ids["clients"] = args.clients
            prepare(world, checkout_carts=args.clients * args.checkouts_per_client)
            if measured is None:
                measured = asyncio.run(measure_in_process(database_url, world))
            args.server_pid = server.pid
            rows += run_scenarios(args.port, workers, world, measured, args)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print_table(rows)


if __name__ == "__main__":
    main()
