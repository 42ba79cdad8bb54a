"""core.broker: a change's events go out when its transaction commits, and only then; a
rolled-back savepoint takes back its own events, a rolled-back transaction all of them."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from core.broker import Broker, LiveEvent, broker, publish
from core.database import create_sessionmaker


def drain(queue: asyncio.Queue[LiveEvent]) -> list[object]:
    return [queue.get_nowait().payload["n"] for _ in range(queue.qsize())]


async def test_events_wait_for_the_commit_and_leave_with_a_rollback(engine: AsyncEngine) -> None:
    async with broker.subscribe(["t"]) as queue, create_sessionmaker(engine)() as session:
        # given a transaction publishing 1, a savepoint publishing 2 that fails, one with 3
        await session.execute(text("SELECT 1"))
        publish(session, "t", n=1)
        try:
            async with session.begin_nested():
                publish(session, "t", n=2)
                raise RuntimeError("refused")
        except RuntimeError:
            pass
        async with session.begin_nested():
            publish(session, "t", n=3)
        before_commit = drain(queue)

        # when it commits, and then a transaction publishing 4 rolls back
        await session.commit()
        committed = drain(queue)
        await session.execute(text("SELECT 1"))
        publish(session, "t", n=4)
        await session.rollback()
        await session.commit()

    # then nothing went out before the commit, 1 and 3 at it, 4 never
    assert before_commit == []
    assert committed == [1, 3]
    assert drain(queue) == []


async def test_a_subscriber_hears_only_its_topics_until_it_leaves() -> None:
    own = Broker()
    async with own.subscribe(["a", "b"]) as first, own.subscribe(["b"]) as second:
        own.committed(
            [LiveEvent("a", {"n": 1}), LiveEvent("b", {"n": 2}), LiveEvent("c", {"n": 3})]
        )
        assert (drain(first), drain(second)) == ([1, 2], [2])
        assert own.subscriber_count == 3
    own.committed([LiveEvent("a", {"n": 4})])
    assert own.subscriber_count == 0
