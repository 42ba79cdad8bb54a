"""Account addresses (TOTECS "Customer Account Addresses"): at most one primary per account."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from core.context import Context
from domain.changes import set_fields, set_names
from domain.customers import POSTAL_FIELDS, AddressChanges, remembers_ship_to, validate_address
from domain.enums import AddressKind, RecordSource
from domain.erp import ERP_OWNED_ADDRESS_FIELDS, record_kept_by_erp
from domain.errors import DomainError, ErrorCode, raise_if_any
from loaders.accounts import AddressByIdLoader
from models import Account, Address
from models.column_limits import and_column_errors
from resolvers.access import managed_account, readable_account
from resolvers.erp_settings import (
    erp_settings,
    refuse_deleting_erp_record,
    refuse_fields_kept_by_erp,
)


def _normalise(changes: AddressChanges) -> AddressChanges:
    country = changes.country
    return replace(
        changes, country=country.strip().upper() if isinstance(country, str) else country
    )


async def _check_primary_free(context: Context, account_id: int, *, except_id: int | None) -> None:
    current = await context.db.scalar(
        select(col(Address.id)).where(
            col(Address.account_id) == account_id, col(Address.is_primary)
        )
    )
    if current is not None and current != except_id:
        raise DomainError(
            ErrorCode.INVALID,
            "The account already has a primary address; unset it first",
            field=["isPrimary"],
        )


async def readable_address(context: Context, address_id: int | None) -> Address | None:
    if address_id is None:
        return None
    address: Address | None = await context.loader(AddressByIdLoader).load(address_id)
    if address is None or await readable_account(context, address.account_id) is None:
        return None
    return address


async def create_address(
    context: Context, account_id: int | None, changes: AddressChanges
) -> Address:
    account = await managed_account(context, account_id, field="accountId")
    return await add_address(context, account, changes)


async def add_address(context: Context, account: Account, changes: AddressChanges) -> Address:
    """`create_address` once access is settled (self-registration's billing address)."""
    assert account.id is not None
    changes = _normalise(changes)
    raise_if_any(and_column_errors(validate_address(changes, creating=True), Address, changes))
    if changes.is_primary is True:
        await _check_primary_free(context, account.id, except_id=None)
    address = Address(
        account_id=account.id,
        **set_fields(changes),
        source=RecordSource.WEB,
        created_at=context.now,
        updated_at=context.now,
    )
    context.session.add(address)
    await context.session.flush()
    return address


async def _managed_address(context: Context, address_id: int | None) -> Address:
    address = await readable_address(context, address_id)
    if address is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such address", field=["id"])
    await managed_account(context, address.account_id, field="id")
    return address


async def update_address(
    context: Context, address_id: int | None, changes: AddressChanges
) -> Address:
    """Only the fields `changes` sets change."""
    address = await _managed_address(context, address_id)
    changes = _normalise(changes)
    await refuse_fields_kept_by_erp(
        context, source=address.source, fields=set_names(changes), owned=ERP_OWNED_ADDRESS_FIELDS
    )
    raise_if_any(and_column_errors(validate_address(changes, creating=False), Address, changes))
    if changes.is_primary is True and not address.is_primary:
        await _check_primary_free(context, address.account_id, except_id=address.id)
    for name, value in set_fields(changes).items():
        setattr(address, name, value)
    address.updated_at = context.now
    return address


async def delete_address(context: Context, address_id: int | None) -> int:
    address = await _managed_address(context, address_id)
    assert address.id is not None
    await refuse_deleting_erp_record(context, source=address.source, field="id")
    await context.session.delete(address)
    return address.id


async def remember_ship_to(
    context: Context, account: Account, ship_to: Mapping[str, Any]
) -> Address | None:
    """A ship-to typed in at checkout becomes one of the account's SHIPPING addresses (a web
    address) when the account's address-editing rule allows (`domain.customers
    .remembers_ship_to`). The account is marked edited, so it travels to the ERP with the
    order (seed 000: "the changes will import to the ERP system on the first order")."""
    assert account.id is not None
    restricted = (await erp_settings(context)).restrict_account_editing_to_erp
    # Read now, not through the loader: this unit of work may have added addresses already.
    known = await context.db.scalars(select(Address).where(col(Address.account_id) == account.id))
    if not remembers_ship_to(
        kept_by_erp=record_kept_by_erp(restricted=restricted, source=account.source),
        entered=ship_to,
        known=[{name: getattr(row, name) for name in POSTAL_FIELDS} for row in known],
    ):
        return None
    postal = {name: ship_to.get(name) for name in POSTAL_FIELDS if ship_to.get(name) is not None}
    address = await add_address(
        context, account, AddressChanges(**postal, kind=AddressKind.SHIPPING)
    )
    account.updated_at = context.now
    return address
