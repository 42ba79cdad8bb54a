"""`tradepost import FILE`: ERP records from a CSV or JSON file through the same upserts as the
sync mutations, a batch (one transaction) at a time, reporting bad records without stopping."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress

from api.context import Context
from api.database import begin_write, create_sessionmaker
from api.settings import Settings
from domain.erp import MAX_SYNC_BATCH, SyncOutcome
from resolvers.customer_sync import KINDS, sync_records
from resolvers.sync import RecordResult
from seed.runner import SYSTEM, migrated_engine

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def _snake(name: str) -> str:
    """Files may use the API's camelCase names or the snake_case ones."""
    return _CAMEL.sub("_", name.strip()).lower()


def _record(row: dict[str, Any]) -> dict[str, Any]:
    """A CSV row or JSON object as a sync record; `createLogin.username`-style columns nest."""
    record: dict[str, Any] = {}
    for name, value in row.items():
        head, _, tail = name.partition(".")
        if tail:
            record.setdefault(_snake(head), {})[_snake(tail)] = value
        elif isinstance(value, dict):
            record[_snake(name)] = {_snake(k): v for k, v in value.items()}
        else:
            record[_snake(name)] = value
    return record


def read_records(path: Path) -> list[dict[str, Any]]:
    """JSON: a list of objects (or `{"records": [...]}`), where null clears a field; anything
    else is read as CSV, where an empty cell leaves the field as it is (a CSV row cannot tell
    "empty" from "not given")."""
    if path.suffix.lower() == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = data["records"] if isinstance(data, dict) else data
    else:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = [
                {name: value for name, value in row.items() if value != ""}
                for row in csv.DictReader(handle)
            ]
    return [_record(row) for row in rows]


def batches(records: Sequence[dict[str, Any]], size: int) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(records), size):
        yield records[start : start + size]


@dataclass
class ImportReport:
    counts: dict[SyncOutcome, int]
    # (record number from 1, ERP key, field, message)
    problems: list[tuple[int, str | None, str, str]]


async def import_records(
    settings: Settings, kind: str, records: Sequence[dict[str, Any]], *, console: Console
) -> ImportReport:
    report = ImportReport(counts=dict.fromkeys(SyncOutcome, 0), problems=[])
    async with migrated_engine(settings) as engine:
        sessions = create_sessionmaker(engine)
        with Progress(console=console) as progress:
            task = progress.add_task(f"{kind}", total=len(records))
            offset = 0
            for batch in batches(records, MAX_SYNC_BATCH):
                async with sessions() as session:
                    await begin_write(session)
                    context = Context(request=None, settings=settings, session=session)
                    context.viewer = SYSTEM
                    # A bad row is reported and the others are imported.
                    results = await sync_records(context, KINDS[kind], batch, atomic=False)
                    await session.commit()
                _tally(report, results, offset)
                offset += len(batch)
                progress.advance(task, len(batch))
    return report


def _tally(report: ImportReport, results: Sequence[RecordResult], offset: int) -> None:
    for result in results:
        report.counts[result.outcome] += 1
        for error in result.errors:
            # The path is ["records", index, field...]: name the field within the record.
            field = ".".join((error.field or [])[2:]) or "-"
            report.problems.append((offset + result.index + 1, result.key, field, error.message))
