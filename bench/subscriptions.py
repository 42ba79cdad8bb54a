"""Memory of idle subscriptions: one `tradepost serve` worker holding N (500) live subscriptions,
each on a websocket of its own. Prints the worker's resident memory (VmRSS) before and after,
and per subscription.

    .venv/bin/python -m bench.subscriptions [--subscriptions 500] [--database-url …]

It migrates and seeds the demo world (SQLite in a temporary folder unless --database-url names
another), logs in as the demo approver Jane, and subscribes each connection to `cartStatus` of a
cart in her queue: every subscription's first result (the cart as it is now) proves it is
live before the memory is read.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
from contextlib import AsyncExitStack
from pathlib import Path

import httpx

from bench.run import cli, wait_until_up
from seed.demo import DEMO_PASSWORD
from tests.live.graphql_ws import live_connection

LOGIN = "mutation($input: LoginInput!) { login(input: $input) { token errors { message } } }"
QUEUE = "query { cartsToApprove(first: 1) { nodes { id } } }"
CART_STATUS = "subscription($id: ID!) { cartStatus(id: $id) { status } }"
WAVE = 50


def resident_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


async def login_and_cart(url: str) -> tuple[str, str]:
    """Jane's token and a cart in her queue."""
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        variables = {"input": {"username": "jane", "password": DEMO_PASSWORD}}
        login = await http.post("/graphql", json={"query": LOGIN, "variables": variables})
        token: str = login.json()["data"]["login"]["token"]
        queue = await http.post(
            "/graphql", json={"query": QUEUE}, headers={"Authorization": f"Bearer {token}"}
        )
        cart_id: str = queue.json()["data"]["cartsToApprove"]["nodes"][0]["id"]
        return token, cart_id


async def measure(url: str, pid: int, count: int) -> None:
    token, cart_id = await login_and_cart(url)
    before = resident_kib(pid)
    async with AsyncExitStack() as held:

        async def subscribe() -> None:
            live = await held.enter_async_context(live_connection(url, token))
            await live.subscribe("cart", CART_STATUS, {"id": cart_id})
            await live.data("cart")

        # In waves, as clients reconnecting after a deploy would.
        for start in range(0, count, WAVE):
            await asyncio.gather(*(subscribe() for _ in range(min(WAVE, count - start))))
        await asyncio.sleep(1)  # settled: idle
        after = resident_kib(pid)
    print(f"worker RSS before:                    {before / 1024:8.1f} MiB")
    print(f"worker RSS with {count} idle subscriptions: {after / 1024:8.1f} MiB")
    print(f"per subscription (its websocket too): {(after - before) / count:8.1f} KiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--subscriptions", type=int, default=500)
    parser.add_argument("--port", type=int, default=8090)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tradepost-bench-"))
    database_url = args.database_url or f"sqlite+aiosqlite:///{folder / 'bench.db'}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-secret-key-of-at-least-32-bytes",
    }
    print(f"database: {database_url}", flush=True)
    cli("migrate", env=env)
    cli("seed", env=env)
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(args.port)]
    server = subprocess.Popen([*command, "--workers", "1"], env=env)
    try:
        wait_until_up(args.port)
        asyncio.run(measure(f"http://127.0.0.1:{args.port}", server.pid, args.subscriptions))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
