"""The server's log is text for a person at a terminal and JSON lines for a collector's pipe."""

from __future__ import annotations

import io
import json
import logging
import os
from collections.abc import Iterator

import pytest

from api.logs import configure_logging, request_logger
from core.settings import Settings
from tests.factories import TEST_SECRET_KEY


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def log_one_request_line(monkeypatch: pytest.MonkeyPatch, stream: io.StringIO, **env: str) -> str:
    monkeypatch.setattr("sys.stderr", stream)
    configure_logging(Settings(secret_key=TEST_SECRET_KEY, **env))  # type: ignore[arg-type]
    request_logger.info("request", extra={"operation_name": "Page", "status": 200})
    return stream.getvalue()


@pytest.mark.usefixtures("restore_logging")
def test_a_terminal_gets_readable_text(monkeypatch: pytest.MonkeyPatch) -> None:
    # given stderr is a terminal (a pseudo-terminal's other end)
    leader, follower = os.openpty()
    with os.fdopen(follower, "w") as terminal:
        # when a request is logged with the default LOG_FORMAT
        monkeypatch.setattr("sys.stderr", terminal)
        configure_logging(Settings(secret_key=TEST_SECRET_KEY))
        request_logger.info("request", extra={"operation_name": "Page", "status": 200})
        terminal.flush()
        shown = os.read(leader, 4096).decode()
    os.close(leader)

    # then the line is text carrying the same fields, not JSON
    assert "INFO request operation_name=Page status=200" in shown
    assert not shown.lstrip().startswith("{")


@pytest.mark.usefixtures("restore_logging")
def test_a_pipe_gets_json_lines_and_the_setting_overrides(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # when stderr is not a terminal, the default gives one JSON object a line
    line = json.loads(log_one_request_line(monkeypatch, io.StringIO()))
    assert (line["message"], line["operation_name"], line["status"]) == ("request", "Page", 200)

    # and LOG_FORMAT=text gives text even to a pipe
    text = log_one_request_line(monkeypatch, io.StringIO(), log_format="text")
    assert "request operation_name=Page status=200" in text
