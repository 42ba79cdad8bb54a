"""Locations, account locations and stock (seed 003 "Customer Account Locations")."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, select
from sqlmodel import col

from core.context import Context
from domain.access import sees_all_stock
from domain.catalogue import validate_stock
from domain.enums import SurchargeKind
from domain.erp import SyncOutcome
from domain.errors import DomainError, ErrorCode, raise_if_any
from domain.validation import check_code, check_money, check_percent, check_required
from loaders.accounts import AccountByIdLoader
from loaders.pricing import (
    AccountLocationsByAccountIdLoader,
    LocationByCodeLoader,
    LocationByIdLoader,
    StockByProductIdLoader,
)
from models import Account, AccountLocation, Location, ProductStock
from models.column_limits import and_column_errors
from resolvers.access import managed_account
from resolvers.catalogue import product_by_sku
from resolvers.row_locks import lock_row
from resolvers.sync import RecordResult, apply_batch, changed


async def _location_by_code(context: Context, code: str) -> Location | None:
    location: Location | None = await context.db.scalar(
        select(Location).where(col(Location.code) == code.strip().upper())
    )
    return location


@dataclass(frozen=True)
class LocationRecord:
    code: str
    name: str
    surcharge_kind: SurchargeKind = SurchargeKind.NONE
    surcharge_value: Decimal = Decimal("0")


async def upsert_location(context: Context, record: LocationRecord) -> SyncOutcome:
    code = record.code.strip().upper()
    check_surcharge = (
        check_percent if record.surcharge_kind is SurchargeKind.PERCENT else check_money
    )
    errors = [
        *check_required("code", code),
        *check_code("code", code),
        *check_required("name", record.name),
        *check_surcharge("surchargeValue", record.surcharge_value),
    ]
    raise_if_any(and_column_errors(errors, Location, {"code": code, "name": record.name}))
    location = await _location_by_code(context, code)
    values = (record.name, record.surcharge_kind, record.surcharge_value)
    if (
        location is not None
        and (
            location.name,
            location.surcharge_kind,
            location.surcharge_value,
        )
        == values
    ):
        return SyncOutcome.UNCHANGED
    created = location is None
    if location is None:
        location = Location(code=code, name=record.name)
        context.session.add(location)
    location.name, location.surcharge_kind, location.surcharge_value = values
    return changed(created)


async def sync_locations(
    context: Context, records: Sequence[LocationRecord], *, atomic: bool
) -> list[RecordResult]:
    return await apply_batch(
        context,
        records,
        lambda r: upsert_location(context, r),
        key=lambda r: r.code.strip().upper(),
        atomic=atomic,
    )


@dataclass(frozen=True)
class StockRecord:
    sku: str
    location_code: str
    quantity: int


async def put_stock(context: Context, record: StockRecord) -> SyncOutcome:
    raise_if_any(validate_stock(quantity=record.quantity))
    product = await product_by_sku(context, record.sku)
    location = await _location_by_code(context, record.location_code)
    raise_if_any(
        [
            *(
                [DomainError(ErrorCode.NOT_FOUND, f"No product {record.sku}", field=["sku"])]
                if product is None
                else []
            ),
            *(
                [
                    DomainError(
                        ErrorCode.NOT_FOUND,
                        f"No location {record.location_code}",
                        field=["locationCode"],
                    )
                ]
                if location is None
                else []
            ),
        ]
    )
    assert product is not None and product.id is not None
    assert location is not None and location.id is not None
    row = await context.db.scalar(
        select(ProductStock).where(
            col(ProductStock.product_id) == product.id,
            col(ProductStock.location_id) == location.id,
        )
    )
    if row is not None and row.quantity == record.quantity:
        return SyncOutcome.UNCHANGED
    created = row is None
    if row is None:
        row = ProductStock(product_id=product.id, location_id=location.id)
        context.session.add(row)
    row.quantity = record.quantity
    return changed(created)


async def sync_stock(
    context: Context, records: Sequence[StockRecord], *, atomic: bool
) -> list[RecordResult]:
    return await apply_batch(
        context,
        records,
        lambda r: put_stock(context, r),
        key=lambda r: f"{r.sku.strip().upper()}/{r.location_code.strip().upper()}",
        atomic=atomic,
    )


async def set_account_locations(
    context: Context, account_id: int | None, *, codes: Sequence[str], primary_code: str
) -> tuple[Account, list[AccountLocation]]:
    """The account's locations become `codes`; `primary_code` (one of them) is the primary."""
    account = await managed_account(context, account_id, field="accountId")
    assert account.id is not None
    wanted = list(dict.fromkeys(c.strip().upper() for c in codes))
    primary = primary_code.strip().upper()
    found: dict[str, Location] = {
        location.code: location
        for location in await context.db.scalars(
            select(Location).where(col(Location.code).in_(wanted))
        )
    }
    errors = [
        DomainError(ErrorCode.NOT_FOUND, f"No location {code}", field=["locationCodes", str(index)])
        for index, code in enumerate(wanted)
        if code not in found
    ]
    if primary not in wanted:
        errors.append(
            DomainError(
                ErrorCode.INVALID,
                "The primary location must be one of the account's locations",
                field=["primaryLocationCode"],
            )
        )
    raise_if_any(errors)
    # Replacing the set: two at once take turns on the account (`resolvers.row_locks`).
    await lock_row(context, Account, account.id)
    await context.db.execute(
        delete(AccountLocation).where(col(AccountLocation.account_id) == account.id)
    )
    rows = []
    for code in wanted:
        location_id = found[code].id
        assert location_id is not None
        rows.append(
            AccountLocation(
                account_id=account.id, location_id=location_id, is_primary=code == primary
            )
        )
    context.session.add_all(rows)
    await context.session.flush()
    return account, rows


async def visible_stock(
    context: Context, product_id: int, *, buyer_account_id: int | None
) -> list[ProductStock]:
    """Seed 003: users "can only see the quantities of product stock available at locations
    assigned to their customer account" (a worker without SEE_ALL_STOCK: the account it acts
    for); see `domain.access.sees_all_stock`."""
    if sees_all_stock(context.viewer):
        rows: list[ProductStock] = await context.loader(StockByProductIdLoader).load(product_id)
        return rows
    if buyer_account_id is None:
        return []
    stock, links = await asyncio.gather(
        context.loader(StockByProductIdLoader).load(product_id),
        account_locations(context, buyer_account_id),
    )
    allowed = {link.location_id for link in links}
    return [row for row in stock if row.location_id in allowed]


async def territory_location(context: Context, account: Account) -> Location | None:
    """Seed 003 "Territory: Defines a location that the customer account is assigned to. The
    territory field is used to assign a default location to an account": the location whose
    code the territory names."""
    if not account.territory or not account.territory.strip():
        return None
    code = account.territory.strip().upper()
    location: Location | None = await context.loader(LocationByCodeLoader).load(code)
    return location


async def account_locations(context: Context, account_id: int) -> list[AccountLocation]:
    """The account's locations, one primary. An account with none assigned has its territory's
    location as its (primary) default; it is not stored, so it follows the territory."""
    links: list[AccountLocation] = await context.loader(AccountLocationsByAccountIdLoader).load(
        account_id
    )
    if links:
        return links
    account: Account | None = await context.loader(AccountByIdLoader).load(account_id)
    location = await territory_location(context, account) if account else None
    if location is None or location.id is None:
        return []
    return [AccountLocation(account_id=account_id, location_id=location.id, is_primary=True)]


async def primary_location(context: Context, account_id: int) -> Location | None:
    """Seed 003: the account's primary location, which its orders ship from."""
    links = await account_locations(context, account_id)
    primary = next((link for link in links if link.is_primary), None)
    if primary is None:
        return None
    location: Location | None = await context.loader(LocationByIdLoader).load(primary.location_id)
    return location
