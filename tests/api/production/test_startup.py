"""Start-up hides the objects that live as long as the process from the garbage collector."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from api.app import create_app
from core.settings import Settings


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


@pytest.mark.usefixtures("unfrozen")
async def test_start_up_freezes_what_it_built(settings: Settings) -> None:
    app = create_app(settings)
    assert gc.get_freeze_count() == 0

    async with app.router.lifespan_context(app):
        # the modules, the schema and the mappers: far more than any one request makes
        frozen = gc.get_freeze_count()
        assert frozen > 50_000
        # and what requests allocate afterwards is collected as before
        assert gc.isenabled()
