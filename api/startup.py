"""`make run`'s first two steps (`tradepost start`): bring the schema up to date and load the demo
world into an empty database, saying what each step does.

A restart on a migrated, seeded database only reads the migration version and counts the
accounts (a few milliseconds): Alembic's upgrade and the seed's modules load only when there is
something for them to do, so the server answers about a second after `make run`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from sqlalchemy import text

from core.database import create_engine
from core.settings import Settings
from migrations.status import (
    DatabaseNotReady,
    current_revisions,
    migration_heads,
    missing_sqlite_file,
    shown_url,
)


async def _accounts(settings: Settings) -> int | None:
    """The database's account count, or None when it needs migrating."""
    if missing_sqlite_file(settings.database_url) is not None:
        return None
    engine = create_engine(settings.database_url)
    try:
        async with engine.connect() as connection:
            if await connection.run_sync(current_revisions) != migration_heads():
                return None
            return int(await connection.scalar(text("SELECT count(*) FROM account")) or 0)
    except Exception as error:  # any driver's connection failure
        url = shown_url(settings.database_url)
        raise DatabaseNotReady(
            f"Cannot reach the database (DATABASE_URL={url}): {error}"
        ) from error
    finally:
        await engine.dispose()


def prepare_database(settings: Settings, *, report: Callable[[str], object]) -> None:
    accounts = asyncio.run(_accounts(settings))
    heads = ", ".join(sorted(migration_heads()))
    if accounts is None:
        from alembic import command

        from migrations.config import alembic_config

        report(f"[1/3] migrations: applying up to {heads} …")
        started = time.perf_counter()
        command.upgrade(alembic_config(settings.database_url), "head")
        report(f"[1/3] migrations: done in {time.perf_counter() - started:.1f} s")
    else:
        report(f"[1/3] migrations: up to date ({heads})")
    if accounts:
        report(f"[2/3] demo data: the database has {accounts} accounts; not seeding")
        return
    from seed.demo import run_seed

    report("[2/3] demo data: loading the demo world …")
    asyncio.run(run_seed(settings, extra_accounts=0, if_empty=True))
