"""Alembic environment: async engine, `target_metadata` from every table in `models`."""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from alembic import context
from sqlalchemy import Enum as SAEnum
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

import models  # noqa: F401 - registers every table on SQLModel.metadata
from core.database import create_engine
from core.settings import get_settings
from migrations.config import include_object_for

config = context.config
target_metadata = SQLModel.metadata


def render_item(type_: str, obj: Any, _autogen_context: Any) -> str | Literal[False]:
    """Render column types as plain SQLAlchemy, so migrations import nothing from the models.

    Enums lose their type name: the CHECK constraint is then named by the metadata's naming
    convention (ck_<table>_<column>), which Alembic applies to the tables it creates.
    """
    if type_ != "type":
        return False
    if isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    if isinstance(obj, SAEnum) and not obj.native_enum:
        values = ", ".join(repr(v) for v in obj.enums)
        return f"sa.Enum({values}, native_enum=False, create_constraint=True, length={obj.length})"
    return False


def database_url() -> str:
    return str(config.attributes.get("database_url") or get_settings().database_url)


def run_migrations_offline() -> None:
    context.configure(
        url=database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
        render_item=render_item,
        include_object=include_object_for(connection.dialect.name),
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online() -> None:
    engine = create_engine(database_url(), foreign_keys=False)
    async with engine.connect() as connection:
        await connection.run_sync(do_run_migrations)
        if engine.dialect.name == "sqlite":
            # Foreign keys were off while tables were copied: prove nothing now dangles.
            dangling = (await connection.exec_driver_sql("PRAGMA foreign_key_check")).all()
            if dangling:
                raise RuntimeError(f"migration left rows with broken references: {dangling[:5]}")
        await connection.commit()
    await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
