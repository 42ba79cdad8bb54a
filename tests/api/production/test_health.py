"""/healthz says the process is up; /readyz that the database answers and is fully migrated."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from alembic import command

from api.app import create_app
from api.settings import Settings
from migrations.config import alembic_config


async def get(settings: Settings, path: str) -> httpx.Response:
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.get(path)
    await app.state.engine.dispose()
    return response


async def test_healthz_answers_without_a_database(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/none/x.db")

    response = await get(settings, "/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_readyz_is_ready_only_while_the_migrations_are_current(tmp_path: Path) -> None:
    # given an empty database
    url = f"sqlite+aiosqlite:///{tmp_path}/ready.db"
    settings = Settings(database_url=url)
    config = alembic_config(url)

    # when it is empty, then migrated, then one migration behind
    empty = await get(settings, "/readyz")
    await asyncio.to_thread(command.upgrade, config, "head")
    migrated = await get(settings, "/readyz")
    await asyncio.to_thread(command.downgrade, config, "-1")
    behind = await get(settings, "/readyz")

    # then only the migrated one is ready
    assert (empty.status_code, empty.json()) == (503, {"status": "migrations pending"})
    assert (migrated.status_code, migrated.json()) == (200, {"status": "ready"})
    assert (behind.status_code, behind.json()) == (503, {"status": "migrations pending"})


async def test_readyz_is_unavailable_when_the_database_cannot_be_reached(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/missing-dir/x.db")

    response = await get(settings, "/readyz")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
