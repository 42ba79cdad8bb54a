"""Run the benchmark and print its tables: `python -m bench.run [--accounts 10000] [--seconds 10]
[--compare REF] [--rounds N] [--growth]`.

It migrates and seeds a database (SQLite in a temporary folder unless --database-url names
another), starts `tradepost serve` with 1 and with 2 workers on 127.0.0.1 beside the plain
Strawberry + SQLAlchemy baseline (bench/baseline, over the same database) and, with --compare,
another commit's server, drives each scenario with closed-loop clients from this process, and
reports requests/s, p50/p99 latency, SQL statements and returned objects per request (measured
in-process through the ASGI app), server CPU µs per returned object, each figure's ratio to the
floors and to the baseline, the comparison with REF, and issue #17's targets met or not.
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
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from bench import growth
from bench.compare import Ref, checked_out
from bench.figures import BASELINE, THIS, Figures, Row, interleaved
from bench.loadgen import run_load
from bench.probe import Probe, measure_in_process, probe_over_http
from bench.scenarios import SCENARIOS, Scenario, World
from bench.targets import evaluate, print_targets
from bench.world import prepare

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
SECRET_KEY = "bench-secret-key-of-at-least-32-bytes"
# The scenarios the baseline serves (the documents it answers).
BASELINE_SCENARIOS = ("worker grid 20", "worker grid 100", "account detail")


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


def wait_until_up(port: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server on port {port} did not start")


@dataclass
class Server:
    """A server the bench drives: this build, REF's, or the plain-Strawberry baseline."""

    build: str
    command: list[str]
    env: dict[str, str]
    world: World
    # The scenarios it serves, by name, in its own documents.
    scenarios: dict[str, Scenario]
    cwd: Path | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.command,
            cwd=self.cwd,
            env={**self.env, "LOG_LEVEL": "warning"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=30)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid


def tradepost_command(port: int, workers: int) -> list[str]:
    serve = ["serve", "--port", str(port), "--workers", str(workers)]
    return [sys.executable, "-m", "api.cli", *serve]


def selected(scenario: Scenario, only: list[str]) -> bool:
    return scenario.is_floor or not only or any(w in scenario.name for w in only)


async def drive(server: Server, scenario: Scenario, workers: int, round_: int, **load: int) -> Row:
    """One round of `scenario` against `server`: a second's warm-up (unless the scenario
    consumes its data), then the timed load and the server's CPU meanwhile."""
    next_request = scenario.requests(server.world)
    limit = load["max_requests"] or None
    if limit is None:
        await run_load(
            "127.0.0.1", server.world.port, next_request, clients=load["clients"], seconds=1
        )
    before = process_tree_cpu_seconds(server.pid)
    result = await run_load(
        "127.0.0.1",
        server.world.port,
        next_request,
        clients=load["clients"],
        seconds=load["seconds"] if limit is None else 600,
        max_requests=limit,
    )
    return Row(
        build=server.build,
        scenario=scenario.name,
        workers=workers,
        round=round_,
        requests=len(result.latencies),
        throughput=result.throughput,
        p50_ms=result.percentile(50) * 1000,
        p99_ms=result.percentile(99) * 1000,
        cpu_seconds=process_tree_cpu_seconds(server.pid) - before,
        objects=load["objects"] or None,
        failures=result.failures + result.bodies_with_errors,
    )


def objects_per_request(servers: list[Server], scenario: Scenario) -> dict[str, int]:
    """Each server's returned objects for `scenario`, from one answer checked to be a success;
    the baseline must return as many as this build (the same data)."""
    counts = {
        s.build: probe_over_http(s.scenarios[scenario.name], s.world)
        for s in servers
        if scenario.body is not None and not scenario.max_requests
    }
    if BASELINE in counts and counts[BASELINE] != counts[THIS]:
        raise RuntimeError(
            f"{scenario.name}: the baseline returned {counts[BASELINE]} objects, "
            f"Tradepost {counts[THIS]}"
        )
    return counts


def run_scenarios(
    servers: list[Server], workers: int, probes: dict[str, Probe], args: argparse.Namespace
) -> list[Row]:
    rows: list[Row] = []
    for scenario in SCENARIOS:
        if not selected(scenario, args.only):
            continue
        serving = [s for s in servers if scenario.name in s.scenarios]
        counts = objects_per_request(serving, scenario)
        if scenario.name in probes:  # a scenario that consumes its data was probed in-process
            counts.setdefault(THIS, probes[scenario.name].objects)
        for round_, server in interleaved(serving, args.rounds):
            theirs = server.scenarios[scenario.name]
            # A scenario that consumes its data (checkout) shares its carts out over the rounds.
            limit = theirs.max_requests(server.world) // args.rounds if theirs.max_requests else 0
            load = {"clients": args.clients, "seconds": args.seconds, "max_requests": limit}
            objects = counts.get(server.build, 0)
            row = asyncio.run(drive(server, theirs, workers, round_, objects=objects, **load))
            print(
                f"  {scenario.name}, {workers} worker(s), round {round_ + 1}, {server.build}: "
                f"{row.throughput:,.0f} req/s",
                flush=True,
            )
            rows.append(row)
    return rows


def _figure(value: float | None, form: str = ".1f") -> str:
    return "-" if value is None else format(value, form)


def print_table(figures: Figures, probes: dict[str, Probe], workers: list[int]) -> None:
    print(
        "| scenario | workers | req/s | p50 ms | p99 ms | p99/p50 | SQL/req | objects/req "
        "| CPU µs/object | x transport floor | x plain Strawberry req/s "
        "| x plain Strawberry CPU/req | failed |"
    )
    print("|" + "---|" * 13)
    for n in workers:
        floor = figures.best(THIS, "transport floor", n)
        for scenario in SCENARIOS:
            r = figures.best(THIS, scenario.name, n)
            if r is None:
                continue
            probe = probes.get(scenario.name)
            print(
                f"| {r.scenario} | {n} | {r.throughput:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} "
                f"| {r.p99_ms / r.p50_ms:.1f} | {probe.statements if probe else '-'} "
                f"| {r.objects or '-'} | {_figure(r.cpu_us_per_object)} "
                f"| {_figure(r.throughput / floor.throughput if floor else None, '.2f')} "
                f"| {_figure(figures.throughput_ratio(BASELINE, r.scenario, n), '.2f')} "
                f"| {_figure(figures.cpu_ratio(BASELINE, r.scenario, n), '.2f')} "
                f"| {r.failures} |"
            )


def print_comparison(figures: Figures, other: str, workers: list[int]) -> None:
    """This build beside `other`, scenario by scenario; ratios are this/other."""
    print(f"\nThis build against {other} (x: this/{other}, median over rounds A B A B)")
    print(
        f"| scenario | workers | req/s this | req/s {other} | x req/s | p99 ms this "
        f"| p99 ms {other} | CPU µs/object this | CPU µs/object {other} | x CPU/object "
        "| failed this/other |"
    )
    print("|" + "---|" * 11)
    for n in workers:
        for scenario in SCENARIOS:
            ours, theirs = (
                figures.best(THIS, scenario.name, n),
                figures.best(other, scenario.name, n),
            )
            if ours is None or theirs is None:
                continue
            print(
                f"| {scenario.name} | {n} | {ours.throughput:,.0f} | {theirs.throughput:,.0f} "
                f"| {_figure(figures.throughput_ratio(other, scenario.name, n), '.2f')} "
                f"| {ours.p99_ms:.1f} | {theirs.p99_ms:.1f} "
                f"| {_figure(ours.cpu_us_per_object)} | {_figure(theirs.cpu_us_per_object)} "
                f"| {_figure(figures.cpu_per_object_ratio(other, scenario.name, n), '.2f')} "
                f"| {ours.failures}/{theirs.failures} |"
            )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url")
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument(
        "--port",
        type=int,
        default=8188,
        help="this build's server; the baseline listens on PORT+1 and REF's server on PORT+2",
    )
    parser.add_argument("--checkouts-per-client", type=int, default=10)
    parser.add_argument(
        "--compare",
        metavar="REF",
        help="also run the server of git commit REF (its own worktree, database, seed and bench "
        "world, this venv) and print both builds' figures and their ratios. This machine's "
        "speed varies by a third from hour to hour, so the builds take turns scenario by "
        "scenario (this, REF, this, REF … --rounds times) and each ratio is the median of "
        "side-by-side rounds, never two runs an hour apart",
    )
    parser.add_argument(
        "--ref-database-url",
        help="REF's own database (default: a SQLite file beside this build's; needed with a "
        "PostgreSQL --database-url, and must be empty)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        help="turns each build takes at each scenario, interleaved (default 2 with --compare, "
        "else 1); a build's figures are its fastest round (other load on a shared machine "
        "only ever slows a run down), its ratios the median over rounds",
    )
    parser.add_argument(
        "--only",
        type=lambda text: text.split(","),
        default=[],
        help="run the floors and the scenarios whose names contain one of these words "
        "(comma-separated, e.g. grid,detail)",
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the plain-Strawberry app")
    parser.add_argument(
        "--growth",
        action="store_true",
        help="instead: SQL statements and CPU per object of accounts(first: 1|20|100) on "
        "databases with --growth-accounts generated accounts (in-process, no servers)",
    )
    parser.add_argument(
        "--growth-accounts",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[1_000, 100_000],
        help="comma-separated (default 1000,100000; the 100,000 database takes about 35 s to "
        "prepare here)",
    )
    args = parser.parse_args()
    if args.rounds is None:
        args.rounds = 2 if args.compare else 1
    if args.compare and args.database_url and not args.ref_database_url:
        parser.error("--compare with --database-url needs --ref-database-url")
    return args


def this_build(args: argparse.Namespace, env: dict[str, str], workers: int) -> Server:
    world = World(host="127.0.0.1", port=args.port)
    return Server(
        THIS, tradepost_command(args.port, workers), env, world, {s.name: s for s in SCENARIOS}
    )


def baseline(args: argparse.Namespace, env: dict[str, str], workers: int, world: World) -> Server:
    """The baseline shares this build's database, so its world too (logins, ids)."""
    port = args.port + 1
    command = [sys.executable, "-m", "bench.baseline", "--port", str(port)]
    shared = World(host=world.host, port=port, tokens=world.tokens, ids=world.ids)
    served = {s.name: s for s in SCENARIOS if s.name in BASELINE_SCENARIOS or s.is_floor}
    return Server(BASELINE, [*command, "--workers", str(workers)], env, shared, served)


def ref_build(ref: Ref, args: argparse.Namespace, env: dict[str, str], workers: int) -> Server:
    port = args.port + 2
    world = World(host="127.0.0.1", port=port)
    scenarios = {s.name: s for s in ref.scenarios}
    return Server(ref.name, tradepost_command(port, workers), env, world, scenarios, ref.tree)


def main() -> None:
    args = parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tradepost-bench-"))
    env = {**os.environ, "SECRET_KEY": SECRET_KEY}
    os.environ.update({"SECRET_KEY": SECRET_KEY})
    if args.growth:
        growth.run(folder, args.growth_accounts, env)
        return
    database_url = args.database_url or f"sqlite+aiosqlite:///{folder / 'bench.db'}"
    env["DATABASE_URL"] = database_url
    print(f"database: {database_url}; seeding {args.accounts} accounts …", flush=True)
    cli("migrate", env=env)
    cli("seed", "--accounts", str(args.accounts), env=env)
    consuming = any(s.max_requests and selected(s, args.only) for s in SCENARIOS)
    carts = args.clients * args.checkouts_per_client * args.rounds if consuming else 0
    worker_counts = [int(w) for w in args.workers.split(",")]

    figures = Figures([])
    probes: dict[str, Probe] = {}
    with ExitStack() as stack:
        ref = stack.enter_context(checked_out(args.compare)) if args.compare else None
        if ref:
            ref_url = args.ref_database_url or f"sqlite+aiosqlite:///{folder / 'ref.db'}"
            ref_env = ref.env(env, ref_url)
            ref.check_imports_its_own_code(ref_env)
            print(f"{ref.name}: {ref.tree}, database {ref_url}; seeding …", flush=True)
            ref.cli("migrate", env=ref_env)
            ref.cli("seed", "--accounts", str(args.accounts), env=ref_env)
        for workers in worker_counts:
            servers = [this_build(args, env, workers)]
            if not args.no_baseline:
                servers.append(baseline(args, env, workers, servers[0].world))
            if ref:
                servers.append(ref_build(ref, args, ref_env, workers))
            try:
                for server in servers:
                    server.start()
                for server in servers:
                    wait_until_up(server.world.port)
                for server in servers:
                    server.world.ids["clients"] = args.clients
                prepare(servers[0].world, checkout_carts=carts)
                if ref:
                    ref.prepare(servers[-1].world, checkout_carts=carts)
                if not probes:
                    probes = asyncio.run(
                        measure_in_process(database_url, SECRET_KEY, servers[0].world)
                    )
                figures.rows += run_scenarios(servers, workers, probes, args)
            finally:
                for server in servers:
                    server.stop()
    print_table(figures, probes, worker_counts)
    for other in ([ref.name] if ref else []) + ([] if args.no_baseline else [BASELINE]):
        print_comparison(figures, other, worker_counts)
    print()
    print_targets(evaluate(figures, probes, ref.name if ref else None))


if __name__ == "__main__":
    main()
