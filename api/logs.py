"""Structured logs: one `request` line per GraphQL request carrying its request id, operation
name, duration and SQL statement count; one JSON object a line for a log collector, readable text
on a terminal."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from core.settings import Settings

request_logger = logging.getLogger("tradepost.request")

# Attributes every LogRecord has; anything else was passed in `extra=` and belongs in the line.
_STANDARD_ATTRIBUTES = frozenset(
    logging.LogRecord("", 0, "", 0, "", (), None).__dict__.keys()
    | {"message", "asctime", "color_message"}  # uvicorn's ANSI-coloured copy of the message
)


# One encoder: `json.dumps` with any option builds a new encoder for every line.
_ENCODER = json.JSONEncoder(default=str)


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    """What the call passed in `extra=`: the fields of a request line."""
    return {
        key: value
        for key, value in record.__dict__.items()
        if key not in _STANDARD_ATTRIBUTES and not key.startswith("_")
    }


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_extras(record),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return _ENCODER.encode(line)


class TextFormatter(logging.Formatter):
    """`12:00:01 INFO request operation_name=Page status=200 duration_ms=4.1 …`: the same fields
    as the JSON line, for a person reading a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(message)s", datefmt="%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        fields = " ".join(f"{key}={value}" for key, value in _extras(record).items())
        return f"{text} {fields}" if fields else text


def wants_json(log_format: str, stream: Any) -> bool:
    if log_format == "auto":
        return not (hasattr(stream, "isatty") and stream.isatty())
    return log_format == "json"


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    json_lines = wants_json(settings.log_format, handler.stream)
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    # No line shows the thread, process or calling source line, so no record computes them
    # (a frame walk and three look-ups a line; the logging HOWTO's "Optimization").
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logging._srcfile = None
