"""GraphiQL works without a CDN: `make install` puts its assets beside the server (npm), and by
default the page loads them from there; without them it falls back to the CDN and says so."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

import api.app
from api.app import GRAPHIQL_ASSETS
from tests.conftest import ClientWith
from tests.node_tools import npm_install


async def test_by_default_graphiql_loads_the_installed_assets_from_this_server(
    client_with: ClientWith,
) -> None:
    # given the assets are installed (as `make install` does where npm is)
    missing = npm_install("graphiql-assets", GRAPHIQL_ASSETS)
    if missing:
        pytest.skip(missing)

    # when a browser opens GraphiQL with GRAPHIQL_LOCAL_ASSETS unset
    async with client_with(graphiql_local_assets=None) as client:
        page = await client.http.get("/graphql", headers={"Accept": "text/html"})
        style = await client.http.get("/graphiql-assets/graphiql/graphiql.min.css")

    # then nothing comes from the CDN
    assert "unpkg.com" not in page.text
    assert 'href="/graphiql-assets/graphiql/graphiql.min.css"' in page.text
    assert style.status_code == 200


async def test_without_installed_assets_graphiql_uses_the_cdn_and_the_log_says_why(
    client_with: ClientWith,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given a machine where the assets could not be installed (no npm)
    monkeypatch.setattr(api.app, "GRAPHIQL_ASSETS", tmp_path / "not-installed")

    # when the server starts with GRAPHIQL_LOCAL_ASSETS unset
    with caplog.at_level(logging.WARNING, logger="tradepost"):
        async with client_with(graphiql_local_assets=None) as client:
            page = await client.http.get("/graphql", headers={"Accept": "text/html"})

    # then the page loads from the CDN and one warning tells how to serve it locally
    assert "https://unpkg.com/graphiql@" in page.text
    [warning] = [r.getMessage() for r in caplog.records if r.name == "tradepost"]
    assert "make graphiql-assets" in warning and "unpkg.com" in warning
