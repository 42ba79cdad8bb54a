"""Live events for GraphQL subscriptions: a change publishes to a topic, subscribers hear it.

A change's events wait on its session and go out only when the session commits, so a refused
mutation (its savepoint rolled back) or a failed transaction tells nobody anything. Delivery is
a fan-out to one asyncio queue per subscriber in this process; on PostgreSQL every event goes
through NOTIFY on one channel instead, which every worker process LISTENs to on a connection of
its own, so a change made in one process reaches the subscribers of all (the process hears its
own notifications too, so it delivers nothing directly). Events are hints to re-read, not
durable: a subscriber that was not connected when one went out never hears it.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

CHANNEL = "tradepost_live"
_PENDING = "live_events"
# Per open savepoint, how many events were pending when it began.
_MARKS = "live_event_marks"
# Events a subscriber has not read yet; a subscriber that falls this far behind misses the rest
# (each event only says "read again", so the next one it reads brings it up to date).
QUEUE_SIZE = 100

logger = logging.getLogger("tradepost")


@dataclass(frozen=True)
class LiveEvent:
    topic: str
    payload: dict[str, Any]


def publish(session: AsyncSession, topic: str, **payload: Any) -> None:
    """Send `payload` to `topic`'s subscribers once `session` commits."""
    session.info.setdefault(_PENDING, []).append(LiveEvent(topic, payload))


class Broker:
    """The process's subscribers by topic, and on PostgreSQL its LISTEN connection."""

    def __init__(self) -> None:
        self._subscribers: defaultdict[str, set[asyncio.Queue[LiveEvent]]] = defaultdict(set)
        self._connection: asyncpg.Connection | None = None
        # One asyncpg connection runs one statement at a time.
        self._notifying = asyncio.Lock()
        self._sending: set[asyncio.Task[None]] = set()

    @property
    def subscriber_count(self) -> int:
        return sum(len(queues) for queues in self._subscribers.values())

    async def start(self, database_url: str) -> None:
        """On PostgreSQL, LISTEN on a connection of the broker's own (outside the pool: it stays
        open, idle, for the life of the process)."""
        if not database_url.startswith("postgresql"):
            return
        dsn = make_url(database_url).set(drivername="postgresql")
        self._connection = await asyncpg.connect(dsn.render_as_string(hide_password=False))
        await self._connection.add_listener(CHANNEL, self._heard)

    async def stop(self) -> None:
        if self._sending:
            await asyncio.gather(*self._sending, return_exceptions=True)
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    def committed(self, events: Iterable[LiveEvent]) -> None:
        """Deliver a committed transaction's events (here, or through NOTIFY to every process)."""
        events = list(events)
        if not events:
            return
        if self._connection is None:
            for live_event in events:
                self._deliver(live_event)
            return
        task = asyncio.get_running_loop().create_task(self._notify(events))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _notify(self, events: list[LiveEvent]) -> None:
        assert self._connection is not None
        async with self._notifying:
            for live_event in events:
                message = json.dumps({"topic": live_event.topic, "payload": live_event.payload})
                try:
                    await self._connection.execute("SELECT pg_notify($1, $2)", CHANNEL, message)
                except (asyncpg.PostgresError, OSError):
                    logger.exception("a live event could not be sent: %s", live_event.topic)

    def _heard(self, _connection: object, _pid: int, _channel: str, message: str) -> None:
        heard = json.loads(message)
        self._deliver(LiveEvent(heard["topic"], heard["payload"]))

    def _deliver(self, live_event: LiveEvent) -> None:
        for queue in self._subscribers.get(live_event.topic, ()):
            with suppress(asyncio.QueueFull):  # see QUEUE_SIZE
                queue.put_nowait(live_event)

    @asynccontextmanager
    async def subscribe(self, topics: Iterable[str]) -> AsyncIterator[asyncio.Queue[LiveEvent]]:
        """A queue of the events published to any of `topics` while the block runs."""
        queue: asyncio.Queue[LiveEvent] = asyncio.Queue(QUEUE_SIZE)
        topics = set(topics)
        for topic in topics:
            self._subscribers[topic].add(queue)
        try:
            yield queue
        finally:
            for topic in topics:
                queues = self._subscribers[topic]
                queues.discard(queue)
                if not queues:
                    del self._subscribers[topic]


# The process's broker: the app starts and stops its LISTEN connection (`api.app` lifespan).
broker = Broker()


@event.listens_for(Session, "after_transaction_create")
def _mark_savepoint(session: Session, transaction: SessionTransaction) -> None:
    if transaction.nested:
        session.info.setdefault(_MARKS, {})[transaction] = len(session.info.get(_PENDING, ()))


@event.listens_for(Session, "after_commit")
def _send_committed(session: Session) -> None:
    # Releasing a savepoint commits nothing yet: its events wait for the transaction's commit.
    if not session.in_nested_transaction():
        session.info.pop(_MARKS, None)
        broker.committed(session.info.pop(_PENDING, ()))


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, transaction: SessionTransaction) -> None:
    """A rolled-back savepoint takes back the events published in it; the transaction, all."""
    if transaction.nested:
        mark = session.info.get(_MARKS, {}).pop(transaction, 0)
        del session.info.get(_PENDING, [])[mark:]
    elif transaction.parent is None:
        session.info.pop(_PENDING, None)
        session.info.pop(_MARKS, None)
