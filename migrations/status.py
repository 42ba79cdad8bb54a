"""Is the database at the newest migration? (`/readyz` asks, and every CLI command that needs
the schema, before it touches anything.)"""

from __future__ import annotations

from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import make_url
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from migrations.config import alembic_config


class DatabaseNotReady(Exception):
    """The database a command was pointed at has no schema, an old one, or does not answer."""


def migration_heads() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config("")).get_heads())


def current_revisions(connection: Connection) -> set[str]:
    return set(MigrationContext.configure(connection).get_current_heads())


def migrations_current(connection: Connection) -> bool:
    return current_revisions(connection) == migration_heads()


def shown_url(database_url: str) -> str:
    return make_url(database_url).render_as_string(hide_password=True)


def missing_sqlite_file(database_url: str) -> Path | None:
    """The SQLite file the URL names when it does not exist (connecting would create it empty)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    path = Path(url.database)
    return None if path.exists() else path


async def require_migrated(engine: AsyncEngine, database_url: str) -> None:
    """Raise `DatabaseNotReady` naming the URL unless the database is migrated to the newest
    revision; never creates a SQLite file."""
    hint = f"DATABASE_URL={shown_url(database_url)}"
    missing = missing_sqlite_file(database_url)
    if missing is not None:
        raise DatabaseNotReady(
            f"No database at {missing} ({hint}): run `tradepost migrate` first, or set "
            "DATABASE_URL to the database you meant"
        )
    try:
        async with engine.connect() as connection:
            current = await connection.run_sync(current_revisions)
    except Exception as error:  # any driver's connection failure
        raise DatabaseNotReady(f"Cannot reach the database ({hint}): {error}") from error
    if not current:
        raise DatabaseNotReady(f"The database is not migrated ({hint}): run `tradepost migrate`")
    if current != migration_heads():
        raise DatabaseNotReady(
            f"The database is at migration {', '.join(sorted(current))}, the code needs "
            f"{', '.join(sorted(migration_heads()))} ({hint}): run `tradepost migrate`"
        )
