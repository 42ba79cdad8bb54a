"""`/readyz`: ready while the database answers, every migration is applied, and a write commits.

A read answers on a full disk, from a read-only file and from a PostgreSQL standby alike, so
the probe rewrites the heartbeat row and commits (one tiny write, taking its turn among the
writers like any other). Why it is not ready goes to the log, not to whoever asks."""

from __future__ import annotations

import logging

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core.database import begin_write
from models import ReadinessHeartbeat
from models.types import utcnow

logger = logging.getLogger("tradepost.readiness")

HEARTBEAT_ID = 1


async def readiness(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
) -> tuple[int, str]:
    """The HTTP status and the `status` word `/readyz` answers."""
    from migrations.status import migrations_current  # Alembic's scripts load on first use

    try:
        async with engine.connect() as connection:
            current = await connection.run_sync(migrations_current)
        if not current:
            return 503, "migrations pending"
        await _beat(sessionmaker)
    except Exception as error:
        logger.warning("not ready: %s", error, exc_info=error)
        return 503, "unavailable"
    return 200, "ready"


async def _beat(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    async with sessionmaker() as session:
        await begin_write(session)
        dialect = (await session.connection()).dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        now = utcnow()
        await session.execute(
            insert(ReadinessHeartbeat)
            .values(id=HEARTBEAT_ID, beat_at=now)
            .on_conflict_do_update(index_elements=["id"], set_={"beat_at": now})
        )
        await session.commit()
