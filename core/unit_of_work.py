"""One unit of work per request: the request edge opens the transaction and commits it.

A mutation operation opens its transaction as a writer before any resolver runs (BEGIN IMMEDIATE
on SQLite), and each mutation field runs in a savepoint (`savepoint`, through
`schema.payloads.run_mutation`),
so a refused or failed mutation leaves nothing behind while the others in the document commit.
Queries never commit.

A mutation that reads first (`read_first`: a checkout, issue #17) starts as a reader instead:
its resolver reads and decides outside the writer turn, then takes the turn (`begin_writing`)
for the writes alone, guarding them against what changed since it read. Until then its field
needs no savepoint: the field's writer transaction is all the field wrote.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import ExecutionContext
from strawberry.types.graphql import OperationType

from core.context import Context
from core.database import begin_write, end_reads

_READING = "tradepost_reading_before_write"


@asynccontextmanager
async def unit_of_work(
    execution_context: ExecutionContext, *, read_first: bool = False
) -> AsyncIterator[None]:
    """Around an operation's execution: a mutation's writer transaction, committed at the end;
    with `read_first`, the writer transaction waits for the resolver's `begin_writing`."""
    context: Context = execution_context.context
    # An operation refused before execution (a query limit) has its result already.
    writes = (
        execution_context.result is None
        and execution_context.operation_type is OperationType.MUTATION
    )
    if writes and read_first:
        # It reads through the writer's session (not the query reader), since what it read is
        # what it changes once it has the turn.
        end_reads(context.session)
        context.session.info[_READING] = True
    elif writes:
        # Authentication read in a deferred transaction; a writer's must start afresh
        # (BEGIN IMMEDIATE on SQLite), or a later write could fail to upgrade its lock.
        await context.session.rollback()
        await begin_write(context.session)
    yield
    if writes:
        # A failed field's cancelled siblings may still be running statements.
        await context.db.settle()
        await context.session.commit()


async def begin_writing(context: Context) -> None:
    """End a read-first mutation's read and take its writer turn (`core.sqlite_writers`; on
    PostgreSQL a new transaction); nothing when the operation writes already. What was read
    stays loaded (the read commits, and commits expire nothing), but another writer may have
    changed it since: the caller guards its writes with what it read."""
    session = context.session
    if not session.info.get(_READING):
        return
    _refuse_unwritten_changes(session)
    await context.db.settle()
    await session.commit()
    await begin_write(session)
    session.info[_READING] = False


@asynccontextmanager
async def savepoint(context: Context) -> AsyncIterator[None]:
    """One mutation field's changes, all or none: flushed at the end so a broken constraint
    fails here, rolled back with any exception; the request's loaders forget what they read
    either way, so the payload reads the new state."""
    try:
        if context.session.info.get(_READING):
            try:
                yield
                if context.session.info.get(_READING):
                    _refuse_unwritten_changes(context.session)
                await context.session.flush()
            except BaseException:
                # No field before this one wrote (it would have begun writing), so the field's
                # transaction holds its writes alone; after it the operation reads again.
                await context.db.settle()
                await context.session.rollback()
                context.session.info[_READING] = True
                raise
        else:
            async with context.session.begin_nested():
                yield
                await context.session.flush()
    finally:
        context.clear_loaders()


def _refuse_unwritten_changes(session: AsyncSession) -> None:
    """A read-first mutation may change rows only in its writer turn."""
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("a read-first mutation changed rows before its writer turn")
