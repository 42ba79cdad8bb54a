"""Customer account contracts (seed 003): who sees them, and how staff, sales reps with the
contract permission and the ERP keep them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any, Self

from sqlalchemy import BindParameter, ColumnElement, Select, delete, select
from sqlmodel import col

from core.context import Context
from domain.access import (
    Viewer,
    WorkerPermission,
    can_assign_to_contract,
    can_change_contract,
)
from domain.catalogue import validate_price
from domain.changes import UNSET, Maybe, after, given, set_fields
from domain.contracts import ContractChanges, validate_contract
from domain.enums import ApiKeyScope, RecordSource
from domain.erp import SyncOutcome
from domain.errors import DomainError, ErrorCode, nested, raise_if_any
from loaders.accounts import AccountByIdLoader
from loaders.base import RequestScope
from loaders.pages import PageLoader
from loaders.pricing import ContractByIdLoader, ContractLinksByContractIdLoader
from models import Account, Contract, ContractAccount, ContractProduct
from models.column_limits import and_column_errors
from resolvers.access import readable_accounts, visible_accounts
from resolvers.catalogue import products_by_sku
from resolvers.row_locks import lock_row
from resolvers.sync import RecordResult, apply_batch, changed


class ContractAccountPagesLoader(PageLoader):
    """The accounts assigned to each contract, those the viewer may read only, by code."""

    model = Account
    order_by = ("code", "id")
    visible: ColumnElement[bool]
    per_request = True

    @classmethod
    def for_request(cls, scope: RequestScope) -> Self:
        loader = super().for_request(scope)
        loader.visible = visible_accounts(scope.viewer)
        return loader

    def parent(self) -> Any:
        return col(ContractAccount.contract_id)

    def source(self, parents: BindParameter[Any]) -> Select[Any]:
        return (
            select(Account)
            .join(ContractAccount, col(ContractAccount.account_id) == col(Account.id))
            .where(self.parent().in_(parents), self.visible)
        )


def may_manage_contracts(viewer: Viewer) -> bool:
    """ADMIN workers, and workers given the contract permission (seed 003: "Facility Role
    permissions ... that allow them to create contracts")."""
    return viewer.may(WorkerPermission.MANAGE_CONTRACTS)


async def readable_contract(context: Context, contract_id: int | None) -> Contract | None:
    """Staff, integrators and contract managers see every contract; everybody else the contracts
    of the accounts it may read. Otherwise None, exactly like a missing contract."""
    if contract_id is None:
        return None
    contract: Contract | None = await context.loader(ContractByIdLoader).load(contract_id)
    if contract is None:
        return None
    viewer = context.viewer
    if viewer.is_staff or viewer.has_scope(ApiKeyScope.READ) or may_manage_contracts(viewer):
        return contract
    links = await context.loader(ContractLinksByContractIdLoader).load(contract_id)
    visible = await readable_accounts(context, [link.account_id for link in links])
    return contract if visible else None


async def contract_by_code(context: Context, code: str) -> Contract | None:
    contract_id = await context.db.scalar(
        select(col(Contract.id)).where(col(Contract.code) == code.strip().upper())
    )
    return await readable_contract(context, contract_id)


def _contract_errors(changes: ContractChanges) -> list[DomainError]:
    return and_column_errors(validate_contract(changes), Contract, changes)


def _upper(code: Maybe[str | None]) -> Maybe[str | None]:
    return code if code is UNSET else (code or "").strip().upper()


def _check_window(starts_on: date, expires_on: date) -> None:
    if expires_on < starts_on:
        raise DomainError(
            ErrorCode.INVALID, "expiresOn must not be before startsOn", field=["expiresOn"]
        )


async def _check_code_free(context: Context, code: str, *, except_id: int | None) -> None:
    taken = await context.db.scalar(select(col(Contract.id)).where(col(Contract.code) == code))
    if taken is not None and taken != except_id:
        raise DomainError(ErrorCode.DUPLICATE, f"Contract {code} already exists", field=["code"])


async def create_contract(
    context: Context, changes: ContractChanges, *, source: RecordSource = RecordSource.WEB
) -> Contract:
    changes = replace(changes, code=_upper(after(changes.code, "")))
    raise_if_any(_contract_errors(changes))
    starts_on, expires_on = given(changes.starts_on), given(changes.expires_on)
    assert starts_on is not None and expires_on is not None  # a null is refused just above
    _check_window(starts_on, expires_on)
    await _check_code_free(context, str(changes.code), except_id=None)
    contract = Contract(
        **set_fields(changes), source=source, created_at=context.now, updated_at=context.now
    )
    context.session.add(contract)
    await context.session.flush()
    return contract


async def update_contract(
    context: Context, contract_id: int | None, changes: ContractChanges
) -> Contract:
    contract = await _contract_or_refusal(context, contract_id, field="id")
    return await _change_contract(context, contract, changes)


async def _change_contract(
    context: Context, contract: Contract, changes: ContractChanges
) -> Contract:
    """Only the fields `changes` sets change."""
    changes = replace(changes, code=_upper(changes.code))
    raise_if_any(_contract_errors(changes))
    starts_on = after(changes.starts_on, contract.starts_on)
    expires_on = after(changes.expires_on, contract.expires_on)
    assert starts_on is not None and expires_on is not None  # a null is refused just above
    _check_window(starts_on, expires_on)
    if isinstance(changes.code, str):
        await _check_code_free(context, changes.code, except_id=contract.id)
    for name, value in set_fields(changes).items():
        setattr(contract, name, value)
    contract.updated_at = context.now
    return contract


async def _contract_or_refusal(
    context: Context, contract_id: int | None, *, field: str
) -> Contract:
    """The contract the viewer wants to change: NOT_FOUND when it may not even read it,
    NOT_PERMITTED when it may read but not change it (another rep's customers are on it)."""
    contract = await readable_contract(context, contract_id)
    if contract is None or contract.id is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such contract", field=[field])
    # Every change replaces or extends the contract's product and account sets after reading
    # them: changes of one contract take turns (`resolvers.row_locks`), and the accounts it is
    # judged by are read under that lock.
    await lock_row(context, Contract, contract.id)
    links = await context.loader(ContractLinksByContractIdLoader).load(contract.id)
    accounts = await context.loader(AccountByIdLoader).load_many([x.account_id for x in links])
    codes = [account.sales_rep_code if account else None for account in accounts]
    if not can_change_contract(context.viewer, account_rep_codes=codes):
        raise DomainError(
            ErrorCode.NOT_PERMITTED,
            "You may change only contracts whose every account is yours",
            field=[field],
        )
    return contract


async def assign_contract_accounts(
    context: Context,
    contract_id: int | None,
    *,
    add: Sequence[int | None],
    remove: Sequence[int | None],
) -> Contract:
    """Assign (`add`) and unassign (`remove`) accounts: NOT_FOUND for an account the viewer
    cannot read, NOT_PERMITTED for one it reads but may not assign (a sales rep assigns only its
    own accounts)."""
    contract = await _contract_or_refusal(context, contract_id, field="contractId")
    visible = await readable_accounts(context, [i for i in (*add, *remove) if i is not None])
    errors: list[DomainError] = []
    for field, ids in (("accountIds", add), ("removeAccountIds", remove)):
        for index, account_id in enumerate(ids):
            account = visible.get(account_id) if account_id is not None else None
            if account is None:
                errors.append(
                    DomainError(ErrorCode.NOT_FOUND, "No such account", field=[field, str(index)])
                )
            elif not can_assign_to_contract(context.viewer, sales_rep_code=account.sales_rep_code):
                errors.append(
                    DomainError(
                        ErrorCode.NOT_PERMITTED,
                        f"You may not assign account {account.code}",
                        field=[field, str(index)],
                    )
                )
    raise_if_any(errors)
    assert contract.id is not None
    await _link_accounts(context, contract.id, [a for a in add if a is not None])
    if remove:
        await context.db.execute(
            delete(ContractAccount).where(
                col(ContractAccount.contract_id) == contract.id,
                col(ContractAccount.account_id).in_(remove),
            )
        )
    contract.updated_at = context.now
    return contract


async def _link_accounts(context: Context, contract_id: int, account_ids: Sequence[int]) -> None:
    linked = set(
        await context.db.scalars(
            select(col(ContractAccount.account_id)).where(
                col(ContractAccount.contract_id) == contract_id
            )
        )
    )
    for account_id in dict.fromkeys(account_ids):
        if account_id not in linked:
            context.session.add(ContractAccount(contract_id=contract_id, account_id=account_id))


@dataclass(frozen=True)
class ContractLine:
    sku: str
    price: Decimal
    is_forced: bool = False


async def set_contract_products(
    context: Context, contract_id: int | None, lines: Sequence[ContractLine]
) -> Contract:
    """The contract's products become exactly `lines` (the "My Items" list)."""
    contract = await _contract_or_refusal(context, contract_id, field="contractId")
    assert contract.id is not None
    await _replace_lines(context, contract.id, lines, field="products")
    contract.updated_at = context.now
    return contract


async def _replace_lines(
    context: Context, contract_id: int, lines: Sequence[ContractLine], *, field: str
) -> None:
    errors: list[DomainError] = []
    product_ids: dict[int, ContractLine] = {}
    products = await products_by_sku(context, [line.sku for line in lines])
    for index, (line, product) in enumerate(zip(lines, products, strict=True)):
        at = [field, str(index)]
        errors += nested(at, validate_price(field="price", price=line.price))
        if product is None or product.id is None:
            errors.append(
                DomainError(
                    ErrorCode.NOT_FOUND, f"No product with SKU {line.sku}", field=[*at, "sku"]
                )
            )
        elif product.id in product_ids:
            errors.append(
                DomainError(ErrorCode.DUPLICATE, f"{line.sku} is listed twice", field=[*at, "sku"])
            )
        else:
            product_ids[product.id] = line
    raise_if_any(errors)
    await context.db.execute(
        delete(ContractProduct).where(col(ContractProduct.contract_id) == contract_id)
    )
    for product_id, line in product_ids.items():
        context.session.add(
            ContractProduct(
                contract_id=contract_id,
                product_id=product_id,
                price=line.price,
                is_forced=line.is_forced,
            )
        )


@dataclass(frozen=True)
class ContractRecord:
    code: str
    name: str
    starts_on: date
    expires_on: date
    products: list[ContractLine]
    account_codes: list[str]


async def upsert_contract(context: Context, record: ContractRecord) -> SyncOutcome:
    """An ERP contract, keyed by code: its products and accounts become exactly the record's."""
    code = record.code.strip().upper()
    existing = await context.db.scalar(select(Contract).where(col(Contract.code) == code))
    changes = ContractChanges(
        code=code, name=record.name, starts_on=record.starts_on, expires_on=record.expires_on
    )
    codes = [c.strip().upper() for c in record.account_codes]
    rows = await context.db.execute(
        select(col(Account.code), col(Account.id)).where(col(Account.code).in_(codes))
    )
    found: dict[str, int] = {row.code: row.id for row in rows}
    contract_id = existing.id if existing is not None else None
    if (
        contract_id is not None
        and len(found) == len(set(codes))
        and await _is_unchanged(context, contract_id, changes, record.products, set(found.values()))
    ):
        return SyncOutcome.UNCHANGED
    if existing is None:
        contract = await create_contract(context, changes, source=RecordSource.ERP)
    else:
        contract = await _change_contract(context, existing, changes)
    assert contract.id is not None
    await _replace_lines(context, contract.id, record.products, field="products")
    raise_if_any(
        [
            DomainError(ErrorCode.NOT_FOUND, f"No account {code}", field=["accountCodes", str(i)])
            for i, code in enumerate(codes)
            if code not in found
        ]
    )
    await context.db.execute(
        delete(ContractAccount).where(
            col(ContractAccount.contract_id) == contract.id,
            col(ContractAccount.account_id).not_in(found.values()),
        )
    )
    await _link_accounts(context, contract.id, list(found.values()))
    return changed(existing is None)


async def _is_unchanged(
    context: Context,
    contract_id: int,
    changes: ContractChanges,
    lines: Sequence[ContractLine],
    account_ids: set[int],
) -> bool:
    """Resending a contract changes nothing: same fields, same lines, same accounts. A record
    naming an unknown product or account is never unchanged (its refusal comes from the write)."""
    contract = await context.session.get(Contract, contract_id)
    if contract is None or any(getattr(contract, k) != v for k, v in set_fields(changes).items()):
        return False
    products = await products_by_sku(context, [line.sku for line in lines])
    if any(product is None for product in products):
        return False
    wanted = {
        product.id: (line.price, line.is_forced)
        for line, product in zip(lines, products, strict=True)
        if product is not None
    }
    current = {
        row.product_id: (row.price, row.is_forced)
        for row in await context.db.scalars(
            select(ContractProduct).where(col(ContractProduct.contract_id) == contract_id)
        )
    }
    linked = set(
        await context.db.scalars(
            select(col(ContractAccount.account_id)).where(
                col(ContractAccount.contract_id) == contract_id
            )
        )
    )
    return len(wanted) == len(lines) and wanted == current and linked == account_ids


async def sync_contracts(
    context: Context, records: Sequence[ContractRecord], *, atomic: bool
) -> list[RecordResult]:
    return await apply_batch(
        context,
        records,
        lambda r: upsert_contract(context, r),
        key=lambda r: r.code.strip().upper(),
        atomic=atomic,
    )
