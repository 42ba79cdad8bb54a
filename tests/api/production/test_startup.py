"""Start-up hides the objects that live as long as the process from the garbage collector, and
so does warm-up; collections come less often than CPython's defaults would make them."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

import api.app
from api.app import GC_THRESHOLDS, create_app
from core.settings import Settings


@pytest.fixture
def unfrozen() -> Iterator[None]:
    thresholds = gc.get_threshold()
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.mark.usefixtures("unfrozen")
async def test_start_up_freezes_what_it_built(settings: Settings) -> None:
    app = create_app(settings)
    assert gc.get_freeze_count() == 0

    async with app.router.lifespan_context(app):
        # the modules, the schema and the mappers: far more than any one request makes
        frozen = gc.get_freeze_count()
        assert frozen > 50_000
        # and what requests allocate afterwards is collected, less often than by default
        assert gc.isenabled()
        assert gc.get_threshold() == GC_THRESHOLDS


@pytest.mark.usefixtures("unfrozen")
async def test_warm_up_freezes_what_the_first_requests_left(
    settings: Settings, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api.app, "WARM_UP_REQUESTS", 3)
    app = create_app(settings, engine)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as http,
    ):
        # an object that outlives the first requests, as their caches' entries do
        warm: list[list[int]] = [[]]
        for _ in range(2):
            await http.post("/graphql", json={"query": "{ __typename }"})
        assert _collectable(warm)

        await http.post("/graphql", json={"query": "{ __typename }"})
        assert not _collectable(warm)
        assert gc.is_tracked(warm)  # frozen, not forgotten


def _collectable(target: object) -> bool:
    """Whether `target` is in a generation the collector walks (not frozen)."""
    return any(tracked is target for tracked in gc.get_objects())
