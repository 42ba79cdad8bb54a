"""Every ERP feed by the name files use (`tradepost import FILE --kind …`): customer records go
through the bulk engine as they are; catalogue records are first parsed into the feed's record
type (pydantic reads text cells: "12.50" as a Decimal, "yes" as true), a row that does not parse
being refused like any other bad record. Same upserts, same per-record results, same
idempotency as the sync mutations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from core.context import Context
from domain.erp import SyncFeed
from domain.errors import DomainError, ErrorCode
from domain.validation import to_camel
from resolvers import catalogue, contracts, customer_sync, locations
from resolvers.sync import RecordResult

R = TypeVar("R")
Rows = Sequence[Mapping[str, Any]]


async def apply_rows(
    rows: Rows,
    record: TypeAdapter[R],
    apply: Callable[[Sequence[R]], Awaitable[list[RecordResult]]],
) -> list[RecordResult]:
    """Parse `rows` into records and `apply` the good ones; one result a row, in row order."""
    parsed: list[tuple[int, R]] = []
    refused: dict[int, RecordResult] = {}
    for index, row in enumerate(rows):
        try:
            parsed.append((index, record.validate_python(dict(row))))
        except ValidationError as error:
            result = refused[index] = RecordResult(index, None)
            result.reject(*(_refusal(problem) for problem in error.errors()))
    applied = await apply([item for _, item in parsed])
    for (index, _), result in zip(parsed, applied, strict=True):
        refused[index] = result.moved_to(index)
    return [refused[index] for index in range(len(rows))]


def _refusal(problem: Any) -> DomainError:
    missing = problem["type"] == "missing"
    path = [to_camel(str(part)) for part in problem["loc"]]
    return DomainError(
        ErrorCode.REQUIRED if missing else ErrorCode.INVALID,
        f"{path[0]} is required" if missing and path else str(problem["msg"]),
        field=path,
    )


@dataclass(frozen=True)
class FileFeed:
    apply: Callable[[Context, Rows], Awaitable[list[RecordResult]]]
    # The feed's sync runs, for files imported with a full replace.
    run_feed: SyncFeed | None = None


def _customer(kind: customer_sync.RecordKind) -> FileFeed:
    return FileFeed(
        lambda context, rows: customer_sync.sync_records(context, kind, rows, atomic=False)
    )


def _catalogue(
    record: type[R],
    sync: Callable[[Context, Sequence[R]], Awaitable[list[RecordResult]]],
    run_feed: SyncFeed | None = None,
) -> FileFeed:
    adapter = TypeAdapter(record)
    return FileFeed(
        lambda context, rows: apply_rows(rows, adapter, lambda records: sync(context, records)),
        run_feed,
    )


FILE_FEEDS: dict[str, FileFeed] = {
    **{name: _customer(kind) for name, kind in customer_sync.KINDS.items()},
    "product": _catalogue(
        catalogue.ProductRecord, lambda c, r: catalogue.sync_products(c, r, atomic=False)
    ),
    "level-price": _catalogue(
        catalogue.LevelPriceRecord,
        lambda c, r: catalogue.sync_price_levels(c, r, atomic=False),
        SyncFeed.LEVEL_PRICES,
    ),
    "account-price": _catalogue(
        catalogue.AccountPriceRecord,
        lambda c, r: catalogue.sync_account_prices(c, r, atomic=False, replace=False),
        SyncFeed.ACCOUNT_PRICES,
    ),
    "contract": _catalogue(
        contracts.ContractRecord, lambda c, r: contracts.sync_contracts(c, r, atomic=False)
    ),
    "location": _catalogue(
        locations.LocationRecord, lambda c, r: locations.sync_locations(c, r, atomic=False)
    ),
    "stock": _catalogue(
        locations.StockRecord, lambda c, r: locations.sync_stock(c, r, atomic=False)
    ),
}
