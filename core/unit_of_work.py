"""One unit of work per request: the request edge opens the transaction and commits it.

A mutation operation opens its transaction as a writer before any resolver runs (BEGIN IMMEDIATE
on SQLite), and each mutation field runs in a savepoint (`savepoint`, through
`schema.payloads.run_mutation`),
so a refused or failed mutation leaves nothing behind while the others in the document commit.
Queries never commit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from strawberry.types import ExecutionContext
from strawberry.types.graphql import OperationType

from core.context import Context
from core.database import begin_write


@asynccontextmanager
async def unit_of_work(execution_context: ExecutionContext) -> AsyncIterator[None]:
    """Around an operation's execution: a mutation's writer transaction, committed at the end."""
    context: Context = execution_context.context
    # An operation refused before execution (a query limit) has its result already.
    writes = (
        execution_context.result is None
        and execution_context.operation_type is OperationType.MUTATION
    )
    if writes:
        # Authentication read in a deferred transaction; a writer's must start afresh
        # (BEGIN IMMEDIATE on SQLite), or a later write could fail to upgrade its lock.
        await context.session.rollback()
        await begin_write(context.session)
    yield
    if writes:
        # A failed field's cancelled siblings may still be running statements.
        await context.db.settle()
        await context.session.commit()


@asynccontextmanager
async def savepoint(context: Context) -> AsyncIterator[None]:
    """One mutation field's changes, all or none: flushed at the end so a broken constraint
    fails here, rolled back with any exception; the request's loaders forget what they read
    either way, so the payload reads the new state."""
    try:
        async with context.session.begin_nested():
            yield
            await context.session.flush()
    finally:
        context.clear_loaders()
