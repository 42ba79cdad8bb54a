"""What every `sync<Things>` feed reports, and the catalogue's engine: apply ERP records one by one.

Both engines (this one and the bulk `resolvers.customer_sync`) give one `RecordResult` a record:
its outcome and, for a FAILED one, its refusals (their `field` paths start with `records`, index).
A refused record does not stop the others; with `atomic`, any refusal refuses the whole batch
(`refuse_if_atomic` raises `DomainErrors`, which rolls back the mutation's savepoint).

Here each record runs in its own savepoint, so a refusal met while writing undoes that record
only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError

from core.context import Context
from domain.erp import MAX_SYNC_BATCH, SyncOutcome
from domain.errors import DomainError, DomainErrors, ErrorCode, nested

R = TypeVar("R")


@dataclass
class RecordResult:
    index: int  # -1 for results not tied to one record (a `replace` deletion)
    key: str | None
    outcome: SyncOutcome = SyncOutcome.FAILED
    errors: list[DomainError] = field(default_factory=list)
    # The saved row, for feeds whose results return it.
    row: Any = None

    def moved_to(self, index: int) -> RecordResult:
        """The same result for the record at `index` of a larger whole (a run, a file)."""
        errors = [
            DomainError(e.code, e.message, field=["records", str(index), *(e.field or [])[2:]])
            if (e.field or [])[:1] == ["records"]
            else e
            for e in self.errors
        ]
        return RecordResult(index, self.key, self.outcome, errors, self.row)

    def reject(self, *errors: DomainError) -> None:
        """Refuse the record: `errors` name their field within it."""
        if errors:
            self.outcome = SyncOutcome.FAILED
        self.errors += nested(["records", str(self.index)], errors)


def check_batch_size(records: Sequence[object]) -> None:
    if len(records) > MAX_SYNC_BATCH:
        raise DomainError(
            ErrorCode.LIMIT_EXCEEDED,
            f"At most {MAX_SYNC_BATCH} records a call, got {len(records)}",
            field=["records"],
        )


def refuse_if_atomic(results: Sequence[RecordResult], *, atomic: bool) -> None:
    """With `atomic`, one refused record refuses the batch: its errors become the payload's."""
    errors = [error for result in results for error in result.errors]
    if atomic and errors:
        raise DomainErrors(errors)


def changed(created: bool) -> SyncOutcome:
    return SyncOutcome.CREATED if created else SyncOutcome.UPDATED


async def apply_batch(
    context: Context,
    records: Sequence[R],
    apply: Callable[[R], Awaitable[SyncOutcome]],
    *,
    key: Callable[[R], str],
    atomic: bool,
) -> list[RecordResult]:
    """Apply `records` in order; see the module docstring for failures and `atomic`."""
    check_batch_size(records)
    results: list[RecordResult] = []
    for index, record in enumerate(records):
        result = RecordResult(index, key(record))
        try:
            async with context.session.begin_nested():
                result.outcome = await apply(record)
                await context.session.flush()
        except (DomainError, DomainErrors, IntegrityError) as error:
            result.reject(*_refusals(error))
        finally:
            context.clear_loaders()
        results.append(result)
    refuse_if_atomic(results, atomic=atomic)
    return results


def _refusals(error: Exception) -> list[DomainError]:
    if isinstance(error, DomainErrors):
        return error.errors
    if isinstance(error, DomainError):
        return [error]
    return [DomainError(ErrorCode.DUPLICATE, "The record conflicts with another one")]
