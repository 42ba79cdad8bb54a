"""The shared shape of every `sync<Things>` mutation: apply a batch of ERP records one by one.

Each record runs in its own savepoint and ends with an outcome; a refused record is reported
by its index (its errors' `field` paths start with `records`, index) and the rest is applied.
With `atomic`, any refusal refuses the whole batch: `DomainErrors` rolls back the mutation's
savepoint, so nothing is applied.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TypeVar

from sqlalchemy.exc import IntegrityError

from api.context import Context
from domain.errors import DomainError, DomainErrors, ErrorCode, nested

MAX_SYNC_RECORDS = 1000

R = TypeVar("R")


class RecordOutcome(Enum):
    CREATED = "CREATED"
    UPDATED = "UPDATED"
    UNCHANGED = "UNCHANGED"
    # Applied nothing on purpose, e.g. an ERP price under a WEB override (see `note`).
    SKIPPED = "SKIPPED"
    DELETED = "DELETED"
    FAILED = "FAILED"


@dataclass(frozen=True)
class Applied:
    """What applying one record did."""

    outcome: RecordOutcome
    note: str | None = None


@dataclass(frozen=True)
class RecordResult:
    index: int  # -1 for results not tied to one record (a `replace` deletion)
    key: str
    outcome: RecordOutcome
    note: str | None = None


@dataclass
class BatchResult:
    results: list[RecordResult] = field(default_factory=list)
    errors: list[DomainError] = field(default_factory=list)


def changed(created: bool) -> Applied:
    return Applied(RecordOutcome.CREATED if created else RecordOutcome.UPDATED)


async def apply_batch(
    context: Context,
    records: Sequence[R],
    apply: Callable[[R], Awaitable[Applied]],
    *,
    key: Callable[[R], str],
    atomic: bool,
) -> BatchResult:
    """Apply `records` in order; see the module docstring for failures and `atomic`."""
    if len(records) > MAX_SYNC_RECORDS:
        raise DomainError(
            ErrorCode.LIMIT_EXCEEDED,
            f"At most {MAX_SYNC_RECORDS} records a batch",
            field=["records"],
        )
    batch = BatchResult()
    for index, record in enumerate(records):
        try:
            async with context.session.begin_nested():
                applied = await apply(record)
                await context.session.flush()
        except (DomainError, DomainErrors, IntegrityError) as error:
            refusals = _refusals(error)
            batch.errors.extend(nested(["records", str(index)], refusals))
            batch.results.append(
                RecordResult(index, key(record), RecordOutcome.FAILED, refusals[0].message)
            )
        else:
            batch.results.append(RecordResult(index, key(record), applied.outcome, applied.note))
        finally:
            context.clear_loaders()
    if atomic and batch.errors:
        raise DomainErrors(batch.errors)
    return batch


def _refusals(error: Exception) -> list[DomainError]:
    if isinstance(error, DomainErrors):
        return error.errors
    if isinstance(error, DomainError):
        return [error]
    return [DomainError(ErrorCode.DUPLICATE, "The record conflicts with another one")]


def _at_index(index: int, error: DomainError) -> DomainError:
    return DomainError(
        error.code, error.message, field=["records", str(index), *(error.field or [])]
    )
