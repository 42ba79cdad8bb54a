"""The shared shape of `sync<Things>` mutations, for every integrator feed.

An input has `records: [<Thing>Record!]!` and `atomic: Boolean = false` (inherit `SyncInput`);
the payload inherits `SyncPayload`: one `SyncRecordResult` per record (and per deletion of a
full-replace feed) plus `errors` whose `field` starts with `["records", "<index>"]`. Without
`atomic` the good records are applied even when `errors` is not empty; with it, nothing is.
A mutation body is one call: `run_sync(info, SyncThingsPayload, lambda: resolver(...))`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry

from domain.enums import ApiKeyScope
from resolvers.sync import BatchResult, RecordOutcome, RecordResult
from schema.customer_types import Info
from schema.errors import UserError
from schema.payloads import Payload, run_mutation
from schema.permissions import require_scope

strawberry.enum(RecordOutcome, name="SyncOutcome")


@strawberry.type(description="What a sync did with one record.")
class SyncRecordResult:
    index: int = strawberry.field(
        description="Position of the record in `records`; -1 for a deletion by `replace`."
    )
    key: str = strawberry.field(description="The record's business key, e.g. its SKU.")
    outcome: RecordOutcome
    note: str | None = strawberry.field(description="Why, for FAILED and SKIPPED records.")

    @classmethod
    def from_result(cls, result: RecordResult) -> SyncRecordResult:
        return cls(index=result.index, key=result.key, outcome=result.outcome, note=result.note)


@strawberry.input(description="Options every sync mutation takes.")
class SyncInput:
    atomic: bool = strawberry.field(
        default=False, description="All or nothing: any bad record refuses the whole batch."
    )


@strawberry.type
class SyncPayload(Payload):
    results: list[SyncRecordResult] = strawberry.field(default_factory=list)


P = TypeVar("P", bound=SyncPayload)


async def run_sync(info: Info, payload: type[P], apply: Callable[[], Awaitable[BatchResult]]) -> P:
    """Integrators only (an API key with the `sync` scope, or staff); see the module docstring."""
    require_scope(info.context.viewer, ApiKeyScope.SYNC)

    async def action() -> dict[str, object]:
        batch = await apply()
        return {
            "results": [SyncRecordResult.from_result(r) for r in batch.results],
            "errors": [UserError.from_domain(e) for e in batch.errors],
        }

    return await run_mutation(info.context, payload, action)
