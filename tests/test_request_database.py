"""The request's read path (`core.database`, `core.request_database`): a query reads one
snapshot (on a SQLite file through its reader on the event loop, on PostgreSQL in a REPEATABLE
READ transaction), a mutation reads its own writes, queries go on while a writer holds SQLite's
lock, and a cancelled caller's statement either never starts or runs to its end."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

from sqlalchemy import Row, event, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm.state import InstanceState
from sqlmodel import col

from core.database import begin_write, create_sessionmaker, read, reader, request_session
from core.request_database import RequestDatabase
from domain.enums import WorkerRole
from models import Account, Cart
from tests.factories import PASSWORD, make_account, make_contact, make_worker
from tests.graphql_client import GraphQLClient


def _name_of(account_id: int | None) -> Any:
    return select(col(Account.company_name)).where(col(Account.id) == account_id)


# A condition that takes the database a while (a million-row recursive count), so that the first
# statement is still running when its caller is cancelled.
SLOW = text(
    "(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000)"
    " SELECT count(*) FROM c) > 0"
)


def _rename_statement(account_id: int | None, name: str, *conditions: Any) -> Any:
    return (
        update(Account).where(col(Account.id) == account_id, *conditions).values(company_name=name)
    )


async def _rename(engine: AsyncEngine, account_id: int | None, name: str) -> None:
    async with create_sessionmaker(engine)() as other:
        await other.execute(_rename_statement(account_id, name))
        await other.commit()


async def test_a_reading_unit_sees_the_snapshot_its_first_read_took(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    # given an account, read once in a request's reading unit
    account = await make_account(session, company_name="Before")
    sessions = create_sessionmaker(engine)
    async with request_session(sessions, reading=True) as unit:
        db = RequestDatabase(unit)
        assert await db.scalar(_name_of(account.id)) == "Before"

        # when another request commits a change
        await _rename(engine, account.id, "After")

        # then every way the unit reads still sees the first snapshot
        assert await db.scalar(_name_of(account.id)) == "Before"
        assert [row.company_name for row in await db.rows(_name_of(account.id))] == ["Before"]
        [entity] = await db.scalars(select(Account).where(col(Account.id) == account.id))
        assert entity.company_name == "Before"
        assert (await db.execute(_name_of(account.id))).scalar_one() == "Before"
        assert (await read(unit, _name_of(account.id))).scalar_one() == "Before"

    # and the next unit sees the change
    async with request_session(sessions, reading=True) as unit:
        assert await RequestDatabase(unit).scalar(_name_of(account.id)) == "After"


async def test_a_unit_that_writes_reads_its_own_writes_and_gives_its_reader_up(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    # given a reading unit that has read on a SQLite file's reader (no reader on PostgreSQL)
    account = await make_account(session, company_name="Before")
    sessions = create_sessionmaker(engine)
    async with request_session(sessions, reading=True) as unit:
        db = RequestDatabase(unit)
        assert await db.scalar(_name_of(account.id)) == "Before"
        assert (reader(unit) is not None) == (engine.dialect.name == "sqlite")

        # when it opens the writer's transaction (afresh, as `core.unit_of_work` does) and writes
        await unit.rollback()
        await begin_write(unit)
        await db.execute(_rename_statement(account.id, "Written"))

        # then its reads go through the writer's session and see the write before the commit
        assert reader(unit) is None
        assert await db.scalar(_name_of(account.id)) == "Written"
        assert [tuple(row) for row in await db.rows(_name_of(account.id))] == [("Written",)]
        await unit.commit()


async def test_rows_are_core_rows_of_the_selected_columns(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    account = await make_account(session, code="ROW1", company_name="Rows Ltd")
    statement = select(col(Account.code), col(Account.company_name)).where(
        col(Account.id) == account.id
    )
    sessions = create_sessionmaker(engine)
    for reading in (True, False):
        async with request_session(sessions, reading=reading) as unit:
            [row] = await RequestDatabase(unit).rows(statement)
            assert isinstance(row, Row)
            assert tuple(row) == ("ROW1", "Rows Ltd")
            assert row.code == "ROW1"


async def test_a_mutations_payload_shows_what_it_wrote(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a shopper
    account = await make_account(session, code="PAY1")
    await make_contact(session, account=account, username="shopper")
    token = await client.login("shopper", PASSWORD)

    # when one document creates two carts
    data = await client.execute(
        """mutation {
          first: createCart(input: {name: "First"}) { cart { name status } }
          second: createCart(input: {name: "Second"}) { cart { name status } }
        }""",
        token=token,
    )

    # then each payload reads the cart its own mutation wrote
    assert data == {
        "first": {"cart": {"name": "First", "status": "OPEN"}},
        "second": {"cart": {"name": "Second", "status": "OPEN"}},
    }


GRID = """query {
  accounts(first: 20) { nodes { code memberships { nodes { role contact { name } } } } }
}"""


async def test_what_a_query_read_is_freed_by_reference_counting(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given accounts with contacts, and an admin
    for number in range(5):
        account = await make_account(session, code=f"GC{number}")
        await make_contact(session, account=account, username=f"contact{number}")
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    token = await client.login("admin", PASSWORD)
    await client.execute(GRID, token=token)

    # when a query reads them with the cyclic garbage collector off
    gc.collect()
    gc.disable()
    try:
        data = await client.execute(GRID, token=token)
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        left_to_the_collector = [o for o in gc.garbage if isinstance(o, InstanceState)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()

    # then none of the rows it read waited for the collector (the loaders' caches, their
    # futures and the context referred to one another until the request emptied them)
    assert len(data["accounts"]["nodes"]) == 5
    assert left_to_the_collector == []


VIEWER_ACCOUNT = "query { viewer { activeAccount { code } } }"


async def test_queries_are_answered_while_writers_hold_and_queue_for_the_lock(
    client: GraphQLClient, engine: AsyncEngine, session: AsyncSession
) -> None:
    # given a shopper, and a writer that holds the database's write lock (SQLite's BEGIN
    # IMMEDIATE and the writers' turn) with more mutations queued behind it
    account = await make_account(session, code="LOCK1")
    await make_contact(session, account=account, username="shopper")
    token = await client.login("shopper", PASSWORD)
    async with request_session(create_sessionmaker(engine)) as writer:
        await begin_write(writer)
        await writer.execute(_rename_statement(account.id, "Held"))
        mutations = [
            asyncio.ensure_future(
                client.execute("mutation { createCart(input: {}) { cart { id } } }", token=token)
            )
            for _ in range(3)
        ]

        # when queries arrive meanwhile
        answers = await asyncio.wait_for(
            asyncio.gather(*(client.execute(VIEWER_ACCOUNT, token=token) for _ in range(20))),
            timeout=5,  # half SQLite's busy timeout: they did not wait for the lock
        )

        # then every one is answered, none "database is locked", while the writer still holds
        assert answers == [{"viewer": {"activeAccount": {"code": "LOCK1"}}}] * 20
        if engine.dialect.name == "sqlite":  # PostgreSQL's writers do not take turns
            assert not any(mutation.done() for mutation in mutations)
        await writer.commit()

    # and the queued mutations then write, one after another
    await asyncio.wait_for(asyncio.gather(*mutations), timeout=10)
    carts = await session.scalar(select(func.count()).select_from(Cart))
    assert carts == 3


async def test_a_cancelled_callers_statement_finishes_once_started_and_never_starts_if_queued(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    # given a writing unit whose first statement has started, with a second queued behind it
    account = await make_account(session, company_name="Before")
    started = asyncio.Event()

    def on_statement(*_args: Any) -> None:
        started.set()

    sessions = create_sessionmaker(engine)
    async with request_session(sessions) as unit:
        await begin_write(unit)
        db = RequestDatabase(unit)
        event.listen(engine.sync_engine, "before_cursor_execute", on_statement)
        try:
            renames = [
                asyncio.ensure_future(db.execute(_rename_statement(account.id, "Started", SLOW))),
                asyncio.ensure_future(db.execute(_rename_statement(account.id, "Queued"))),
            ]
            await started.wait()
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", on_statement)

        # when both callers are cancelled
        for rename in renames:
            rename.cancel()
        await asyncio.gather(*renames, return_exceptions=True)
        await db.settle()

        # then the started statement ran to its end, the queued one never ran, and the session
        # goes on working
        assert all(rename.cancelled() for rename in renames)
        assert await db.scalar(_name_of(account.id)) == "Started"
        await unit.commit()

    assert await _committed_name(engine, account.id) == "Started"


async def _committed_name(engine: AsyncEngine, account_id: int | None) -> str:
    async with create_sessionmaker(engine)() as fresh:
        name: str = await fresh.scalar(_name_of(account_id))
        return name


async def test_statements_whose_runner_was_cancelled_before_it_began_are_cancelled(
    engine: AsyncEngine,
) -> None:
    # given a caller whose statement is queued, and the task that would run it cancelled before
    # it began (as when the event loop closes with requests in flight)
    async with request_session(create_sessionmaker(engine)) as unit:
        db = RequestDatabase(unit)
        caller = asyncio.ensure_future(db.scalar(select(1)))
        await asyncio.sleep(0)
        assert db._runner is not None
        db._runner.cancel()

        # then the caller is cancelled, nothing is left to settle, and the session goes on
        await asyncio.wait_for(asyncio.wait((caller,)), timeout=5)
        assert caller.cancelled()
        await asyncio.wait_for(db.settle(), timeout=5)
        assert await db.scalar(select(1)) == 1
