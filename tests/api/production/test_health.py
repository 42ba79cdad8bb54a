"""/healthz says the process is up; /readyz that the database answers, is fully migrated and
takes writes."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import httpx
import pytest
from alembic import command
from sqlalchemy.ext.asyncio import AsyncEngine

from api.app import create_app
from core.settings import Settings
from migrations.config import alembic_config
from tests.conftest import read_only_engine


async def get(settings: Settings, path: str, engine: AsyncEngine | None = None) -> httpx.Response:
    app = create_app(settings, engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.get(path)
    await app.state.engine.dispose()
    return response


def on(settings: Settings, url: str) -> Settings:
    return settings.model_copy(update={"database_url": url})


async def test_healthz_answers_without_a_database(settings: Settings, tmp_path: Path) -> None:
    response = await get(on(settings, f"sqlite+aiosqlite:///{tmp_path}/none/x.db"), "/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_readyz_is_ready_only_while_the_migrations_are_current(
    settings: Settings, empty_database_url: str
) -> None:
    # given an empty database
    migrated = on(settings, empty_database_url)
    config = alembic_config(empty_database_url)

    # when it is empty, then migrated, then one migration behind
    empty = await get(migrated, "/readyz")
    await asyncio.to_thread(command.upgrade, config, "head")
    current = await get(migrated, "/readyz")
    await asyncio.to_thread(command.downgrade, config, "-1")
    behind = await get(migrated, "/readyz")

    # then only the migrated one is ready
    assert (empty.status_code, empty.json()) == (503, {"status": "migrations pending"})
    assert (current.status_code, current.json()) == (200, {"status": "ready"})
    assert (behind.status_code, behind.json()) == (503, {"status": "migrations pending"})


async def test_readyz_is_unavailable_when_the_database_cannot_be_reached(
    settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="tradepost.readiness"):
        response = await get(
            on(settings, f"sqlite+aiosqlite:///{tmp_path}/missing/x.db"), "/readyz"
        )

    # the reason is for the log, not for whoever asks
    assert (response.status_code, response.json()) == (503, {"status": "unavailable"})
    assert "unable to open database file" in caplog.text


async def test_readyz_is_not_ready_while_the_database_cannot_be_written(
    settings: Settings, empty_database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    # given a migrated database
    await asyncio.to_thread(command.upgrade, alembic_config(empty_database_url), "head")
    migrated = on(settings, empty_database_url)

    # when it is asked while it takes writes, and while it is read-only
    writable = await get(migrated, "/readyz")
    with caplog.at_level(logging.WARNING, logger="tradepost.readiness"):
        read_only = await get(migrated, "/readyz", read_only_engine(empty_database_url))

    # then only the first is ready: reads alone still answered the second
    assert (writable.status_code, writable.json()) == (200, {"status": "ready"})
    assert (read_only.status_code, read_only.json()) == (503, {"status": "unavailable"})
    assert "read-only" in caplog.text or "readonly" in caplog.text
