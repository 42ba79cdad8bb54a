"""Is the database at the newest migration? (`/readyz` asks.)"""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from migrations.config import alembic_config


def migrations_current(connection: Connection) -> bool:
    heads = set(ScriptDirectory.from_config(alembic_config("")).get_heads())
    current = set(MigrationContext.configure(connection).get_current_heads())
    return current == heads
