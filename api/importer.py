"""`tradepost import FILE`: ERP records of any feed from a CSV or JSON file through the same
upserts as the sync mutations, a batch (one transaction) at a time, reporting bad records without
stopping. With a replace scope the file is a full export of any size: it is staged in a sync run
batch by batch and applied, deleting what the file did not send within the scope, by the run's
commit in one transaction (`resolvers.sync_runs`), so a file that fails half-way deletes
nothing."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress
from sqlalchemy.ext.asyncio import async_sessionmaker

from core.context import Context
from core.database import begin_write, create_sessionmaker
from core.settings import Settings
from domain.erp import MAX_SYNC_BATCH, ReplaceScope, SyncOutcome
from domain.errors import DomainError, DomainErrors
from resolvers import sync_runs
from resolvers.feeds import FILE_FEEDS, Rows, apply_rows
from resolvers.sync import RecordResult
from resolvers.system_context import SYSTEM, migrated_engine

# A lower-case letter or digit followed by a capital: "erpKey" -> "erp_key"; codes such as a
# price level "WEB1" stay one word.
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _snake(name: str) -> str:
    """Files may use the API's camelCase names or the snake_case ones."""
    return _CAMEL.sub("_", name.strip()).lower()


def _snake_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {_snake(k): _snake_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_snake_keys(v) for v in value]
    return value


def _record(row: dict[str, Any]) -> dict[str, Any]:
    """A CSV row or JSON object as a sync record; `createLogin.username`-style columns nest."""
    record: dict[str, Any] = {}
    for name, value in row.items():
        head, _, tail = name.partition(".")
        if tail:
            record.setdefault(_snake(head), {})[_snake(tail)] = value
        else:
            record[_snake(name)] = _snake_keys(value)
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
    # (record number from 1, key, field, message)
    problems: list[tuple[int, str | None, str, str]]


class ImportRefused(Exception):
    """The file as a whole cannot be imported (nothing was changed)."""


Apply = Callable[[Context, Rows], Awaitable[list[RecordResult]]]


async def import_records(
    settings: Settings,
    kind: str,
    records: Sequence[dict[str, Any]],
    *,
    console: Console,
    replace: ReplaceScope = ReplaceScope.NONE,
) -> ImportReport:
    feed = FILE_FEEDS[kind]
    report = ImportReport(
        counts={o: 0 for o in SyncOutcome if o is not SyncOutcome.STAGED}, problems=[]
    )
    if replace is not ReplaceScope.NONE and feed.run_feed is None:
        raise ImportRefused(f"{kind} files cannot replace: only account-price and level-price")
    async with migrated_engine(settings) as engine:
        sessions = create_sessionmaker(engine)
        if feed.run_feed is None or replace is ReplaceScope.NONE:
            await _in_batches(sessions, settings, kind, records, feed.apply, report, console)
            return report
        run_feed = feed.run_feed
        run_id = await _transaction(sessions, settings, lambda c: _open(c, run_feed, replace))
        adapter = sync_runs.FEEDS[run_feed].record

        def stage(context: Context, rows: Rows) -> Awaitable[list[RecordResult]]:
            return apply_rows(
                rows,
                adapter,
                lambda parsed: sync_runs.stage(
                    context, run_id, run_feed, parsed, atomic=False, replace=False
                ),
            )

        await _in_batches(sessions, settings, f"{kind} (staging)", records, stage, report, console)
        console.print(f"Committing sync run {run_id} …")
        commit = await _transaction(sessions, settings, lambda c: sync_runs.commit_run(c, run_id))
        for outcome, count in commit.counts.items():
            if outcome in report.counts:
                report.counts[outcome] += count
        # Refused at the commit: already counted there, listed here.
        _tally(report, [r for r in commit.results if r.errors], 0, count=False)
    return report


async def _open(context: Context, feed: Any, replace: ReplaceScope) -> int:
    run = await sync_runs.open_run(context, feed, replace)
    assert run.id is not None
    return run.id


async def _transaction(
    sessions: async_sessionmaker[Any], settings: Settings, work: Callable[[Context], Awaitable[Any]]
) -> Any:
    async with sessions() as session:
        await begin_write(session)
        context = Context(request=None, settings=settings, session=session)
        context.viewer = SYSTEM
        try:
            result = await work(context)
        except (DomainError, DomainErrors) as error:
            raise ImportRefused(str(error)) from error
        await session.commit()
        return result


async def _in_batches(
    sessions: async_sessionmaker[Any],
    settings: Settings,
    label: str,
    records: Sequence[dict[str, Any]],
    apply: Apply,
    report: ImportReport,
    console: Console,
) -> None:
    with Progress(console=console) as progress:
        task = progress.add_task(label, total=len(records))
        offset = 0
        for batch in batches(records, MAX_SYNC_BATCH):
            # A bad row is reported and the others are imported.
            async def work(context: Context, rows: Rows = batch) -> list[RecordResult]:
                return await apply(context, rows)

            results = await _transaction(sessions, settings, work)
            _tally(report, results, offset)
            offset += len(batch)
            progress.advance(task, len(batch))


def _tally(
    report: ImportReport, results: Sequence[RecordResult], offset: int, *, count: bool = True
) -> None:
    for result in results:
        if count and result.outcome in report.counts:
            report.counts[result.outcome] += 1
        for error in result.errors:
            # The path is ["records", index, field...]: name the field within the record.
            field = ".".join((error.field or [])[2:]) or "-"
            report.problems.append((offset + result.index + 1, result.key, field, error.message))
