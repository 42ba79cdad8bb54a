"""The one shape of every `sync<Things>` mutation, catalogue and customer feeds alike.

An input inherits `SyncInput` (`records: [<Thing>Record!]!` and `atomic: Boolean = false`); the
payload inherits `SyncPayload`: `results`, one `SyncRecordResult` per record (and per deletion of
a full-replace feed), `counts` of their outcomes, and `errors`. A refused record is a FAILED
result with its own `errors` (`field` paths start with `["records", "<index>"]`) and the good
records are applied; with `atomic`, a refused record refuses the call: its errors become the
payload's `errors`, `results` is empty and nothing is written. The payload's `errors` are only
ever whole-call refusals, so when it is non-empty nothing changed (API.md).

A mutation body is one call:
`run_sync(info, SyncThingsPayload, lambda: resolver(...), to_result(ThingSyncResult, thing=...))`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

import strawberry

from domain.erp import SyncOutcome
from resolvers.sync import RecordResult
from schema.errors import UserError
from schema.info import Info
from schema.payloads import Payload, run_mutation
from schema.permissions import require_sync

strawberry.enum(SyncOutcome, name="SyncOutcome")


@strawberry.type(description="How many results of the call had each outcome.")
class SyncCounts:
    created: int
    updated: int
    unchanged: int
    deleted: int
    failed: int
    staged: int = strawberry.field(
        description="Records kept by a sync run, to be applied when it is committed."
    )

    @classmethod
    def of(cls, results: Sequence[RecordResult]) -> SyncCounts:
        return cls.from_counts(Counter(r.outcome for r in results))

    @classmethod
    def from_counts(cls, counts: Mapping[SyncOutcome, int]) -> SyncCounts:
        return cls(
            created=counts.get(SyncOutcome.CREATED, 0),
            updated=counts.get(SyncOutcome.UPDATED, 0),
            unchanged=counts.get(SyncOutcome.UNCHANGED, 0),
            deleted=counts.get(SyncOutcome.DELETED, 0),
            failed=counts.get(SyncOutcome.FAILED, 0),
            staged=counts.get(SyncOutcome.STAGED, 0),
        )


@strawberry.interface(description="What a sync did with one record.")
class SyncRecordResult:
    index: int = strawberry.field(
        description="Position of the record in `input.records`; -1 for a deletion by `replace`."
    )
    key: str | None = strawberry.field(
        description="The record's key: its ERP key, or its SKU or code where the feed keys by "
        "them; null when the record had none."
    )
    outcome: SyncOutcome
    errors: list[UserError] = strawberry.field(
        description="Why the record was refused (outcome FAILED); nothing of it was saved."
    )


@strawberry.type(description="The result of a record of a feed that returns no object.")
class SyncResult(SyncRecordResult):
    pass


R = TypeVar("R", bound=SyncRecordResult)


def to_result(
    result_type: type[R], **saved: Callable[[Any], object]
) -> Callable[[RecordResult], R]:
    """Builds `result_type` from a record's result; `saved` names the result type's field for
    the saved object and how to build it from the row (null for a refused record)."""

    def build(result: RecordResult) -> R:
        row = None if result.errors else result.row
        return result_type(
            index=result.index,
            key=result.key,
            outcome=result.outcome,
            errors=[UserError.from_domain(e) for e in result.errors],
            **{name: None if row is None else node(row) for name, node in saved.items()},
        )

    return build


@strawberry.input(description="Options every sync mutation takes.")
class SyncInput:
    atomic: bool = strawberry.field(
        default=False,
        description="All or nothing: any refused record refuses the call and nothing is written.",
    )


@strawberry.type
class SyncPayload(Payload):
    counts: SyncCounts | None = strawberry.field(
        default=None, description="Null when the call was refused (see `errors`)."
    )


@strawberry.type
class SyncResultsPayload(SyncPayload):
    """The payload of the feeds whose results return no object."""

    results: list[SyncResult] = strawberry.field(default_factory=list)


P = TypeVar("P", bound=SyncPayload)


async def run_sync(
    info: Info,
    payload: type[P],
    apply: Callable[[], Awaitable[Sequence[RecordResult]]],
    result: Callable[[RecordResult], SyncRecordResult] = to_result(SyncResult),
) -> P:
    """Integrators only (an API key with the `sync` scope, or staff); see the module docstring."""
    require_sync(info.context.viewer)

    async def action() -> dict[str, object]:
        results = await apply()
        return {"results": [result(r) for r in results], "counts": SyncCounts.of(results)}

    return await run_mutation(info.context, payload, action)
