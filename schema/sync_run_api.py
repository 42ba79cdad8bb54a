"""Sync runs (`openSyncRun`, `commitSyncRun`, `abandonSyncRun`, `syncRun`): a full ERP export
larger than one call. Records go into a run through the feed's own mutation (`runId`); see
`resolvers.sync_runs`."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.erp import ReplaceScope, SyncFeed, SyncOutcome, SyncRunStatus
from models import SyncRun as SyncRunRow
from resolvers import sync_runs
from schema.info import Info
from schema.input_values import maybe_key
from schema.payloads import Payload, mutation
from schema.permissions import require_sync
from schema.relay import FromRow, Node, decode_id_of
from schema.sync_types import SyncCounts, SyncResult, to_result

strawberry.enum(SyncFeed)
strawberry.enum(
    ReplaceScope,
    description="What a committed sync run deletes: the feed's ERP rows it did not send, "
    "within this scope (NONE: nothing; SENT: the accounts or products it sent records for; "
    "FEED: the whole feed). Prices entered on the platform are never deleted.",
)
strawberry.enum(SyncRunStatus)


@strawberry.type(description="An ERP export in several calls, applied when it is committed.")
class SyncRun(Node, FromRow):
    row: strawberry.Private[SyncRunRow]
    feed: SyncFeed
    replace: ReplaceScope
    status: SyncRunStatus
    created_at: datetime
    finished_at: datetime | None

    @strawberry.field(description="Records staged so far.")
    def staged_count(self) -> int:
        return self.row.staged

    @strawberry.field(description="What the commit did; null until the run is committed.")
    def counts(self) -> SyncCounts | None:
        if self.row.status is not SyncRunStatus.COMMITTED:
            return None
        return SyncCounts.from_counts(
            {SyncOutcome(name): count for name, count in self.row.counts.items()}
        )


@strawberry.input
class OpenSyncRunInput:
    feed: SyncFeed
    replace: ReplaceScope = ReplaceScope.NONE


@strawberry.input
class SyncRunInput:
    run_id: strawberry.ID


@strawberry.type
class SyncRunPayload(Payload):
    run: SyncRun | None = None


@strawberry.type
class CommitSyncRunPayload(Payload):
    run: SyncRun | None = None
    results: list[SyncResult] = strawberry.field(
        default_factory=list,
        description="Only the records refused at the commit (`index`: their position in the "
        "run) and the deletions; every outcome is counted in `counts`.",
    )
    counts: SyncCounts | None = None


@strawberry.type
class SyncRunQuery:
    @strawberry.field(description="A sync run (integrators: the `sync` scope, and staff).")
    async def sync_run(self, info: Info, id: strawberry.ID) -> SyncRun | None:
        require_sync(info.context.viewer)
        row = await sync_runs.readable_run(info.context, decode_id_of(id, "SyncRun"))
        return SyncRun.from_optional_row(row)


@strawberry.type
class SyncRunMutation:
    @mutation(
        SyncRunPayload,
        gate=require_sync,
        description="Start a full export of a feed in several calls; send its records with the "
        "feed's mutation and `runId`, then commit or abandon it (the `sync` scope).",
    )
    async def open_sync_run(self, info: Info, input: OpenSyncRunInput) -> dict[str, object]:
        run = await sync_runs.open_run(info.context, input.feed, input.replace)
        return {"run": SyncRun.from_row(run)}

    @mutation(
        CommitSyncRunPayload,
        gate=require_sync,
        description="Apply a run's records in the order sent, then delete what it did not send "
        "within its `replace` scope, in one transaction (the `sync` scope).",
    )
    async def commit_sync_run(self, info: Info, input: SyncRunInput) -> dict[str, object]:
        commit = await sync_runs.commit_run(info.context, maybe_key(input.run_id, "SyncRun"))
        return {
            "run": SyncRun.from_row(commit.run),
            "results": [to_result(SyncResult)(r) for r in commit.results],
            "counts": SyncCounts.from_counts(commit.counts),
        }

    @mutation(
        SyncRunPayload,
        gate=require_sync,
        description="Drop a run and its staged records: nothing of it is applied (the `sync` "
        "scope).",
    )
    async def abandon_sync_run(self, info: Info, input: SyncRunInput) -> dict[str, object]:
        run = await sync_runs.abandon_run(info.context, maybe_key(input.run_id, "SyncRun"))
        return {"run": SyncRun.from_row(run)}
