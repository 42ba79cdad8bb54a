"""Fixtures: one database for the run (SQLite by default, TEST_DATABASE_URL for PostgreSQL),
emptied after every test; the real ASGI app; a GraphQL client; a SQL statement counter."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, event, make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlmodel import SQLModel

import models  # noqa: F401 - every table on the metadata
from api.app import create_app
from api.mail_sender import deliver_outbox
from core.database import create_engine, create_sessionmaker, sync_engines
from core.settings import Settings
from migrations.config import alembic_config
from seed.demo import run_seed
from tests.factories import TEST_SECRET_KEY
from tests.graphql_client import GraphQLClient
from tests.smtp import ReceivedMail, SmtpServer


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    path: Path = tmp_path_factory.mktemp("db") / "test.db"
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
def empty_database_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the suite's kind, apart from the one the other tests use."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite+aiosqlite:///{tmp_path}/migrations.db"
        return
    url = make_url(database_url)
    name = f"{url.database}_migrations"
    asyncio.run(
        _administer(database_url, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
    )
    yield url.set(database=name).render_as_string(hide_password=False)
    asyncio.run(_administer(database_url, f'DROP DATABASE IF EXISTS "{name}"'))


async def _administer(url: str, *statements: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        for statement in statements:
            await connection.execute(text(statement))
    await engine.dispose()


def read_only_engine(url: str) -> AsyncEngine:
    """`url`'s database opened read-only: a file SQLite may only read (as root, a file's mode
    does not stop a write), or a PostgreSQL server whose transactions are read-only, as on a
    standby."""
    if url.startswith("postgresql"):
        return create_async_engine(
            url, connect_args={"server_settings": {"default_transaction_read_only": "on"}}
        )
    return create_engine(f"sqlite+aiosqlite:///file:{make_url(url).database}?mode=ro&uri=true")


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key=TEST_SECRET_KEY,
        debug=False,
        graphiql=True,
        introspection=True,
    )


def stamp_as_migrated(connection: Connection) -> None:
    connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    MigrationContext.configure(connection).stamp(
        ScriptDirectory.from_config(alembic_config("")), "heads"
    )


@pytest.fixture(scope="session")
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(settings.database_url)
    async with engine.begin() as connection:
        # Tests build the schema from the models; tests/test_migrations.py checks that the
        # migrations build the same one.
        await connection.run_sync(SQLModel.metadata.drop_all)
        await connection.run_sync(SQLModel.metadata.create_all)
        # …and stamp it as migrated, as the CLI commands the tests run require.
        await connection.run_sync(stamp_as_migrated)
    yield engine
    await engine.dispose()


@pytest.fixture(autouse=True)
async def _empty_database(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """Every test starts from empty tables (only for tests that touched the database)."""
    yield
    if "engine" not in request.fixturenames:
        return
    engine: AsyncEngine = request.getfixturevalue("engine")
    # Quoted: `order` is a reserved word.
    quote = engine.dialect.identifier_preparer.quote
    tables = [quote(t.name) for t in reversed(SQLModel.metadata.sorted_tables)]
    async with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            await connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                await connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session for arranging data directly; commit what a test needs the API to see."""
    async with create_sessionmaker(engine)() as session:
        yield session


@pytest.fixture(scope="session")
def app(settings: Settings, engine: AsyncEngine) -> Any:
    return create_app(settings, engine)


@pytest.fixture
async def client(app: Any, engine: AsyncEngine) -> AsyncIterator[GraphQLClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield GraphQLClient(http)


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


ClientWith = Callable[..., AbstractAsyncContextManager[GraphQLClient]]


@pytest.fixture
def client_with(settings: Settings, engine: AsyncEngine) -> ClientWith:
    """A client of an app built with some settings changed: `async with client_with(x=1) as c`."""

    @asynccontextmanager
    async def open_client(**overrides: Any) -> AsyncIterator[GraphQLClient]:
        app = create_app(settings.model_copy(update=overrides), engine)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield GraphQLClient(http)

    return open_client


@pytest.fixture
async def proxied_client(client_with: ClientWith) -> AsyncIterator[GraphQLClient]:
    """A client whose requests arrive through a trusted proxy (the test transport's peer is
    127.0.0.1), so X-Forwarded-For names the caller."""
    async with client_with(trusted_proxies=["127.0.0.1/32"]) as client:
        yield client


class StatementCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def reset(self) -> None:
        self.statements.clear()


@pytest.fixture
def sql_counter(engine: AsyncEngine) -> Iterator[StatementCounter]:
    """Counts the SQL statements the app sends (not BEGIN/COMMIT/ROLLBACK)."""
    counter = StatementCounter()

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(TRANSACTION_CONTROL):
            counter.statements.append(statement)

    # Queries read on the event loop through the engine's reader (`core.database.reader`).
    for sync_engine in sync_engines(engine):
        event.listen(sync_engine, "before_cursor_execute", count)
    yield counter
    for sync_engine in sync_engines(engine):
        event.remove(sync_engine, "before_cursor_execute", count)


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server on a free port, for the length of one test."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def send_mail(
    settings: Settings, engine: AsyncEngine, smtp_server: SmtpServer
) -> Callable[[], Awaitable[list[ReceivedMail]]]:
    """Run the outbox sender against `smtp_server`; returns everything the server received."""
    mail_settings = settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": smtp_server.port}
    )

    async def deliver() -> list[ReceivedMail]:
        await deliver_outbox(mail_settings, create_sessionmaker(engine))
        return smtp_server.inbox.received

    return deliver


@pytest.fixture(scope="module")
def demo_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A migrated SQLite file with the demo world, as `make run` leaves it."""
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('docs') / 'demo.db'}"
    settings = Settings(database_url=url, secret_key=TEST_SECRET_KEY)
    command.upgrade(alembic_config(url), "head")
    asyncio.run(run_seed(settings, extra_accounts=0, if_empty=True))
    yield settings
