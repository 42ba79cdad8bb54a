"""Webhook burst across a killed deliverer: `python -m bench.webhooks [--events 10000]`.

It migrates a database (SQLite in a temporary folder unless --database-url names another),
records a burst of events for one endpoint (a real HTTP receiver on 127.0.0.1, in this
process) the way changes record them, starts `tradepost deliver-webhooks --watch`, kills it
with SIGKILL part-way, starts another, and waits until every delivery is settled. The receiver
counts by event id: every event must arrive at least once (none lost); an event arrives twice
only if the first deliverer had its answer but died before settling it (at least once), and
those are reported. Every signature is verified.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import col

from core.database import create_engine, create_sessionmaker
from core.settings import Settings
from domain.webhooks import (
    EVENT_ID_HEADER,
    SIGNATURE_HEADER,
    WebhookDeliveryStatus,
    WebhookEventKind,
    verify,
)
from models import WebhookDelivery, WebhookEndpoint
from resolvers.system_context import system_context
from resolvers.webhooks import record_events
from tests.webhook_receiver import WebhookReceiver

# A burst is recorded in batches, as sync batches record theirs (in one transaction).
BATCH = 1_000


def cli(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "api.cli", *args], env=env, check=True)


def deliverer(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "api.cli", "deliver-webhooks", "--watch", "0.2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def record_burst(settings: Settings, url: str, events: int) -> str:
    """One endpoint at `url` and `events` ORDER_PLACED events for it; returns its secret."""
    async with system_context(settings) as context:
        endpoint = WebhookEndpoint(
            url=url,
            secret="whsec_" + secrets.token_urlsafe(32),
            event_kinds=[WebhookEventKind.ORDER_PLACED.value],
            created_by="bench",
        )
        context.session.add(endpoint)
        await context.session.flush()
        secret = endpoint.secret
    async with system_context(settings) as context:
        for start in range(0, events, BATCH):
            datas = [{"n": n} for n in range(start, min(start + BATCH, events))]
            await record_events(context, WebhookEventKind.ORDER_PLACED, datas)
    return secret


async def statuses(settings: Settings) -> dict[str, int]:
    engine = create_engine(settings.database_url)
    async with create_sessionmaker(engine)() as session:
        rows = await session.execute(
            select(col(WebhookDelivery.status), func.count()).group_by(col(WebhookDelivery.status))
        )
        counted = {status.value: count for status, count in rows.all()}
    await engine.dispose()
    return counted


def wait_for(condition: Callable[[], bool], timeout: float, every: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--kill-at", type=float, default=0.3, help="share received at the kill")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--concurrency", type=int, default=50)
    arguments = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="tradepost-webhooks-bench-")
    database_url = arguments.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "WEBHOOK_ALLOW_LOOPBACK": "true",
        # A short timeout makes a short lease: the dead deliverer's claims lapse in 9 s.
        "WEBHOOK_TIMEOUT_SECONDS": "2",
        "WEBHOOK_CONCURRENCY": str(arguments.concurrency),
        "LOG_FORMAT": "json",
    }
    settings = Settings(database_url=database_url, secret_key=env["SECRET_KEY"])
    cli("migrate", env=env)
    receiver = WebhookReceiver()
    receiver.start()
    try:
        started = time.monotonic()
        secret = asyncio.run(record_burst(settings, receiver.url, arguments.events))
        recorded_s = time.monotonic() - started

        # the first deliverer, killed part-way
        first = deliverer(env)
        started = time.monotonic()
        kill_at = int(arguments.events * arguments.kill_at)
        wait_for(lambda: len(receiver.inbox.received) >= kill_at, 300)
        first.send_signal(signal.SIGKILL)
        first.wait()
        first_s = time.monotonic() - started
        at_kill = len(receiver.received)

        # a second one finishes the burst, the killed one's claims included once they lapse
        second = deliverer(env)
        started = time.monotonic()
        finished = wait_for(
            lambda: (
                len({r.headers[EVENT_ID_HEADER] for r in receiver.received}) >= arguments.events
            ),
            600,
            every=0.5,  # counting holds the receiver's lock (and the GIL): not too often
        )
        time.sleep(1)  # let it settle the last batch
        second.send_signal(signal.SIGTERM)
        second.wait()
        second_s = time.monotonic() - started
        settled = asyncio.run(statuses(settings))
    finally:
        receiver.stop()

    received = receiver.received
    by_id = Counter(r.headers[EVENT_ID_HEADER] for r in received)
    now = int(time.time())
    bad_signatures = sum(
        not verify(secret, r.headers[SIGNATURE_HEADER], r.body, now=now, tolerance_seconds=3600)
        for r in received
    )
    lost = arguments.events - len(by_id)
    duplicated = sum(1 for count in by_id.values() if count > 1)
    rows = [
        ("events recorded", f"{arguments.events:,}", f"{recorded_s:.1f} s"),
        ("received before the kill", f"{at_kill:,}", f"{at_kill / first_s:,.0f} /s"),
        (
            "received after the restart",
            f"{len(received) - at_kill:,}",
            f"{second_s:.1f} s ({(len(received) - at_kill) / second_s:,.0f} /s, the lease's "
            "9 s wait included)",
        ),
        ("distinct events received", f"{len(by_id):,}", "finished" if finished else "TIMED OUT"),
        ("lost", f"{lost:,}", "none" if lost == 0 else "LOST"),
        (
            "duplicated (in flight at the kill)",
            f"{duplicated:,}",
            "answered but not yet settled at the kill; receivers dedupe by event id",
        ),
        ("bad signatures", f"{bad_signatures:,}", ""),
        (
            "deliveries " + " / ".join(s.value for s in WebhookDeliveryStatus),
            " / ".join(f"{settled.get(s.value, 0):,}" for s in WebhookDeliveryStatus),
            "",
        ),
    ]
    width = max(len(name) for name, _, _ in rows)
    print(f"\nWebhook burst, {arguments.concurrency} at once, deliverer killed (SIGKILL) part-way")
    for name, value, note in rows:
        print(f"  {name:<{width}}  {value:>12}  {note}")
    if lost or bad_signatures or not finished:
        sys.exit(1)


if __name__ == "__main__":
    main()
