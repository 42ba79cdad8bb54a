"""`tradepost seed --reset`: empty every table so the demo world can be loaded again as new.

Row ids start again from 1 (the walkthroughs name objects by their global ids) and so does the
web account number sequence; the migration history stays.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import SQLModel

from core.context import Context


async def empty_every_table(context: Context) -> None:
    tables = [table.name for table in SQLModel.metadata.sorted_tables]
    if context.settings.is_postgres:
        names = ", ".join(f'"{name}"' for name in tables)
        await context.db.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        await context.db.execute(text("ALTER SEQUENCE IF EXISTS web_account_number_seq RESTART"))
        return
    for name in reversed(tables):
        await context.db.execute(text(f'DELETE FROM "{name}"'))
    has_sequences = await context.db.scalar(
        text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'")
    )
    if has_sequences:
        await context.db.execute(text("DELETE FROM sqlite_sequence"))
