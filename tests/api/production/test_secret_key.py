"""The secret that keys every stored token hash: at least 32 bytes on any server (outside
DEBUG), on PostgreSQL and on SQLite alike."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.settings import DEFAULT_SECRET, Settings

POSTGRESQL = "postgresql+asyncpg://postgres@127.0.0.1:5432/tradepost"
SQLITE = "sqlite+aiosqlite:///./tradepost.db"
REFUSAL = "SECRET_KEY must be at least 32 bytes unless DEBUG is on"


@pytest.mark.parametrize("database_url", [POSTGRESQL, SQLITE])
@pytest.mark.parametrize(
    "secret_key",
    [
        pytest.param("", id="empty"),
        pytest.param("k", id="one-character"),
        pytest.param(DEFAULT_SECRET, id="the-default"),
        pytest.param("k" * 31, id="31-bytes"),
        pytest.param("é" * 15 + "k", id="31-bytes-of-16-characters"),
    ],
)
def test_a_short_secret_is_refused_outside_debug(database_url: str, secret_key: str) -> None:
    with pytest.raises(ValidationError, match=REFUSAL):
        Settings(database_url=database_url, secret_key=secret_key, debug=False)


@pytest.mark.parametrize("database_url", [POSTGRESQL, SQLITE])
def test_a_secret_of_32_bytes_serves_and_debug_takes_any(database_url: str) -> None:
    assert Settings(database_url=database_url, secret_key="k" * 32).secret_key == "k" * 32
    assert Settings(database_url=database_url, secret_key="é" * 16).secret_key == "é" * 16
    assert Settings(database_url=database_url, debug=True).secret_key == DEFAULT_SECRET


def test_an_unset_secret_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # given an environment (and working directory) without SECRET_KEY
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DEBUG", raising=False)

    with pytest.raises(ValidationError, match=REFUSAL):
        Settings(_env_file=None)
