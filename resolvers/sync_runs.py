"""Sync runs: a full ERP export in any number of calls (commercetools' import containers,
Saleor's bulk mutations). The ERP opens a run for one feed, sends its records in batches of up
to 1,000 into it, and commits it: the records are applied in the order sent and then, with the
run's `replace` scope, the feed's ERP rows the run did not send are deleted. Until the commit the
records are only staged: an abandoned run (or one never committed) changes nothing.

Each batch is checked as the feed's own sync checks it, in a savepoint that is then rolled
back, so a refused record is reported when it is sent (and not staged) rather than at the
commit. The run's row is updated with a guarded UPDATE (`WHERE status = 'OPEN'`), so a batch
racing a commit, or two commits, cannot both succeed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter
from sqlalchemy import delete, select, update
from sqlmodel import col

from core.context import Context
from domain.erp import MAX_SYNC_BATCH, ReplaceScope, SyncFeed, SyncOutcome, SyncRunStatus
from domain.errors import DomainError, ErrorCode
from models import SyncRun, SyncRunRecord
from resolvers import catalogue
from resolvers.catalogue import AccountPriceRecord, LevelPriceRecord
from resolvers.sync import RecordResult, check_batch_size

R = TypeVar("R")


@dataclass(frozen=True)
class Feed(Generic[R]):
    record: TypeAdapter[R]
    key: Callable[[R], str]
    # The account (or product) whose rows a SENT replace covers.
    parent: Callable[[R], str]
    # (records, atomic, replace): the feed's own sync of one call.
    sync_call: Callable[[Context, Sequence[R], bool, bool], Awaitable[list[RecordResult]]]
    # (kept keys, parents or None for the whole feed) -> the deletions.
    delete_missing: Callable[
        [Context, Collection[str], Collection[str] | None], Awaitable[list[RecordResult]]
    ]


FEEDS: dict[SyncFeed, Feed[Any]] = {
    SyncFeed.ACCOUNT_PRICES: Feed(
        record=TypeAdapter(AccountPriceRecord),
        key=catalogue.account_price_key,
        parent=catalogue.account_price_account,
        sync_call=lambda context, records, atomic, replace: catalogue.sync_account_prices(
            context, records, atomic=atomic, replace=replace
        ),
        delete_missing=catalogue.delete_account_prices_missing,
    ),
    SyncFeed.LEVEL_PRICES: Feed(
        record=TypeAdapter(LevelPriceRecord),
        key=catalogue.level_price_key,
        parent=catalogue.level_price_product,
        sync_call=lambda context, records, atomic, replace: catalogue.sync_price_levels(
            context, records, atomic=atomic, replace=replace
        ),
        delete_missing=catalogue.delete_level_prices_missing,
    ),
}


async def readable_run(context: Context, run_id: int | None) -> SyncRun | None:
    if run_id is None:
        return None
    run: SyncRun | None = await context.db.scalar(select(SyncRun).where(col(SyncRun.id) == run_id))
    return run


async def open_run(context: Context, feed: SyncFeed, replace: ReplaceScope) -> SyncRun:
    run = SyncRun(feed=feed, replace=replace, created_at=context.now)
    context.session.add(run)
    await context.session.flush()
    return run


async def _claim(
    context: Context, run_id: int | None, feed: SyncFeed | None, **values: Any
) -> SyncRun:
    """Change an OPEN run (of `feed`, when given) in one guarded statement, or refuse."""
    result = await context.db.execute(
        update(SyncRun)
        .where(col(SyncRun.id) == run_id, col(SyncRun.status) == SyncRunStatus.OPEN)
        .values(**values)
        .returning(col(SyncRun.id))
    )
    claimed = result.scalar_one_or_none()
    run = await readable_run(context, run_id)
    if run is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such sync run", field=["runId"])
    if claimed is None:
        raise DomainError(
            ErrorCode.INVALID,
            f"The sync run is {run.status.value}: open a new run",
            field=["runId"],
        )
    await context.session.refresh(run)
    if feed is not None and run.feed is not feed:
        raise DomainError(
            ErrorCode.INVALID,
            f"The sync run is for {run.feed.value}, not {feed.value}",
            field=["runId"],
        )
    return run


async def stage(
    context: Context,
    run_id: int | None,
    feed: SyncFeed,
    records: Sequence[Any],
    *,
    atomic: bool,
    replace: bool,
) -> list[RecordResult]:
    """Check a batch as the feed's sync would and keep its good records for the commit."""
    check_batch_size(records)
    if replace:
        raise DomainError(
            ErrorCode.INVALID,
            "A sync run replaces when it is committed, within the scope it was opened with",
            field=["replace"],
        )
    # Setting OPEN again changes nothing but takes the run's row for this transaction.
    await _claim(context, run_id, feed, status=SyncRunStatus.OPEN)
    # Checked, then undone: nothing of the run is applied before its commit.
    async with context.session.begin_nested() as checking:
        results = await FEEDS[feed].sync_call(context, records, atomic, False)
        await checking.rollback()
    context.clear_loaders()
    good = [record for record, result in zip(records, results, strict=True) if not result.errors]
    run = await _claim(context, run_id, feed, staged=col(SyncRun.staged) + len(good))
    assert run.id is not None
    first = run.staged - len(good)
    adapter = FEEDS[feed].record
    context.session.add_all(
        SyncRunRecord(
            run_id=run.id, position=first + offset, record=adapter.dump_python(record, mode="json")
        )
        for offset, record in enumerate(good)
    )
    for result in results:
        if not result.errors:
            result.outcome = SyncOutcome.STAGED
    await context.session.flush()
    return results


@dataclass
class Commit:
    run: SyncRun
    # Refused records (index: their position in the run) and deletions; applied ones are counted.
    results: list[RecordResult]
    counts: dict[SyncOutcome, int]


async def commit_run(context: Context, run_id: int | None) -> Commit:
    run = await _claim(
        context, run_id, None, status=SyncRunStatus.COMMITTED, finished_at=context.now
    )
    assert run.id is not None
    feed = FEEDS[run.feed]
    counts = dict.fromkeys(SyncOutcome, 0)
    reported: list[RecordResult] = []
    kept: set[str] = set()
    parents: set[str] = set()
    for start in range(0, run.staged, MAX_SYNC_BATCH):
        rows = await context.db.scalars(
            select(SyncRunRecord)
            .where(
                col(SyncRunRecord.run_id) == run.id,
                col(SyncRunRecord.position) >= start,
                col(SyncRunRecord.position) < start + MAX_SYNC_BATCH,
            )
            .order_by(col(SyncRunRecord.position))
        )
        records = [feed.record.validate_python(row.record) for row in rows]
        # A record refused now (its product deleted since) still names a row the ERP has.
        kept.update(feed.key(record) for record in records)
        parents.update(feed.parent(record) for record in records)
        for result in await feed.sync_call(context, records, False, False):
            counts[result.outcome] += 1
            if result.errors:
                reported.append(result.moved_to(start + result.index))
    if run.replace is not ReplaceScope.NONE:
        deleted = await feed.delete_missing(
            context, kept, parents if run.replace is ReplaceScope.SENT else None
        )
        counts[SyncOutcome.DELETED] += len(deleted)
        reported += deleted
    await _discard_records(context, run.id)
    run.counts = {outcome.value: count for outcome, count in counts.items()}
    await context.session.flush()
    return Commit(run=run, results=reported, counts=counts)


async def abandon_run(context: Context, run_id: int | None) -> SyncRun:
    run = await _claim(
        context, run_id, None, status=SyncRunStatus.ABANDONED, finished_at=context.now
    )
    assert run.id is not None
    await _discard_records(context, run.id)
    return run


async def _discard_records(context: Context, run_id: int) -> None:
    await context.db.execute(delete(SyncRunRecord).where(col(SyncRunRecord.run_id) == run_id))
