"""Orders: who may read them, the lists, and the ERP export queue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import Select, false, or_, select, true
from sqlmodel import col

from core.context import Context
from domain.carts import owns_cart
from domain.checkout import order_id_of
from domain.enums import ApiKeyScope, ExportKind, OrderStatus
from domain.errors import DomainError, ErrorCode, raise_if_any
from loaders.accounts import AccountByIdLoader
from loaders.carts import OrderByIdLoader
from loaders.enquiry import InvoicePaymentByIdLoader
from models import Account, ErpExport, Order
from models.column_limits import value_errors
from resolvers.access import may_manage, readable_account
from resolvers.search import contains, search_term


def may_read_order(context: Context, account: Account, order: Order) -> bool:
    """Whoever created or approved it, those who manage its account, and integrators."""
    viewer = context.viewer
    return (
        owns_cart(
            viewer, contact_id=order.created_by_contact_id, worker_id=order.created_by_worker_id
        )
        or (viewer.contact_id is not None and order.approved_by_contact_id == viewer.contact_id)
        or may_manage(viewer, account)
        or viewer.has_scope(ApiKeyScope.READ)
    )


async def readable_order(context: Context, order_id: int | None) -> Order | None:
    if order_id is None:
        return None
    order: Order | None = await context.loader(OrderByIdLoader).load(order_id)
    if order is None:
        return None
    account = await readable_account(context, order.account_id)
    if account is None or not may_read_order(context, account, order):
        return None
    return order


# The largest order id a number can name (PostgreSQL's INTEGER): a longer number matches nothing.
MAX_ID = 2**31 - 1


class OrderSortField(Enum):
    CREATED_AT = "CREATED_AT"
    NUMBER = "NUMBER"
    TOTAL = "TOTAL"


_ORDER_SORT = {
    OrderSortField.CREATED_AT: col(Order.created_at),
    OrderSortField.NUMBER: col(Order.id),
    OrderSortField.TOTAL: col(Order.total),
}


@dataclass(frozen=True)
class OrderQuery:
    """What `Viewer.orders` and `Account.orders` filter and sort by; the default is newest
    first. `search` matches the order's full number (as `Order.number` shows it), or part of its
    PO number or of the ERP's order number (literally, `resolvers.search`)."""

    statuses: frozenset[OrderStatus] = frozenset()
    placed_from: date | None = None
    placed_to: date | None = None
    search: str | None = None
    sort_field: OrderSortField = OrderSortField.CREATED_AT
    descending: bool = True

    def apply(self, statement: Select[Any]) -> Select[Any]:
        if self.statuses:
            statement = statement.where(col(Order.status).in_(self.statuses))
        if self.placed_from is not None:
            statement = statement.where(col(Order.created_at) >= _day_start(self.placed_from))
        if self.placed_to is not None:
            next_day = self.placed_to + timedelta(days=1)
            statement = statement.where(col(Order.created_at) < _day_start(next_day))
        term = search_term(self.search)
        if term:
            number = order_id_of(term)
            statement = statement.where(
                or_(
                    contains(term, Order.po_number, Order.erp_key),
                    col(Order.id) == number if number is not None and number <= MAX_ID else false(),
                )
            )
        column = _ORDER_SORT[self.sort_field]
        if self.descending:
            return statement.order_by(column.desc(), col(Order.id).desc())
        return statement.order_by(column.asc(), col(Order.id).asc())


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def own_orders(context: Context, query: OrderQuery) -> Select[Any]:
    """`Viewer.orders`: the orders the viewer created at its active account."""
    viewer = context.viewer
    creator = (
        col(Order.created_by_contact_id) == viewer.contact_id
        if viewer.contact_id is not None
        else col(Order.created_by_worker_id) == viewer.worker_id
    )
    return query.apply(
        select(Order).where(creator, col(Order.account_id) == viewer.active_account_id)
    )


def account_orders(context: Context, account: Account, query: OrderQuery) -> Select[Any]:
    """`Account.orders`: for those who manage the account, and integrators."""
    viewer = context.viewer
    allowed = may_manage(viewer, account) or viewer.has_scope(ApiKeyScope.READ)
    return query.apply(
        select(Order).where(col(Order.account_id) == account.id, true() if allowed else false())
    )


def pending_exports() -> Select[Any]:
    """Orders, accounts and invoice payments the ERP has not acknowledged yet, oldest first."""
    return (
        select(ErpExport)
        .where(col(ErpExport.acknowledged_at).is_(None))
        .order_by(col(ErpExport.id))
    )


async def acknowledge_exports(
    context: Context, export_ids: Sequence[int | None], erp_keys: Sequence[str | None]
) -> list[ErpExport]:
    """The ERP imported these records. An ERP key given for a record is kept on the order or the
    account it carried. Acknowledging twice changes nothing more."""
    if erp_keys and len(erp_keys) != len(export_ids):
        raise DomainError(
            ErrorCode.INVALID, "Give one ERP key per id, or none at all", field=["erpKeys"]
        )
    raise_if_any(
        [
            error
            for index, key in enumerate(erp_keys)
            for error in value_errors(Order.erp_key, key, field=["erpKeys", str(index)])
        ]
    )
    found = {
        row.id: row
        for row in await context.db.scalars(
            select(ErpExport).where(col(ErpExport.id).in_([i for i in export_ids if i]))
        )
    }
    raise_if_any(
        [
            DomainError(ErrorCode.NOT_FOUND, "No such export", field=["ids", str(index)])
            for index, export_id in enumerate(export_ids)
            if export_id not in found
        ]
    )
    exports = [found[export_id] for export_id in export_ids if export_id is not None]
    keys = list(erp_keys) or [None] * len(exports)
    fresh = [
        (index, export, key)
        for index, (export, key) in enumerate(zip(exports, keys, strict=True))
        if export.acknowledged_at is None
    ]
    order_keys: dict[int | None, str] = {}
    payment_keys: dict[int | None, str] = {}
    for _, export, key in fresh:
        export.acknowledged_at = context.now
        export.erp_key = key
        if key is not None and export.kind is ExportKind.ORDER:
            order_keys[export.order_id] = key
        elif key is not None and export.kind is ExportKind.PAYMENT:
            payment_keys[export.invoice_payment_id] = key
    for order in await context.loader(OrderByIdLoader).load_many(list(order_keys)):
        order.erp_key = order_keys[order.id]
    for payment in await context.loader(InvoicePaymentByIdLoader).load_many(list(payment_keys)):
        payment.erp_key = payment_keys[payment.id]
    await _acknowledge_accounts(
        context,
        [(index, export, key) for index, export, key in fresh if export.kind is ExportKind.ACCOUNT],
    )
    return exports


async def _acknowledge_accounts(
    context: Context, acknowledged: Sequence[tuple[int, ErpExport, str | None]]
) -> None:
    """The ERP now has these web accounts: they no longer await export, and an account without
    an ERP key takes the one the ERP gave it. A key, once set, changes only through the ERP's
    account sync; a key another account holds is refused as well (ERP_KEY_CONFLICT)."""
    accounts = await context.loader(AccountByIdLoader).load_many(
        [export.account_id for _, export, _ in acknowledged]
    )
    wanted = {key for _, _, key in acknowledged if key is not None}
    rows = await context.db.execute(
        select(col(Account.erp_key), col(Account.code)).where(col(Account.erp_key).in_(wanted))
    )
    holders: dict[str, str] = {row.erp_key: row.code for row in rows}
    errors: list[DomainError] = []
    for (index, _, key), account in zip(acknowledged, accounts, strict=True):
        assert account is not None
        account.awaiting_erp_export = False
        if key is None or account.erp_key == key:
            continue
        field = ["erpKeys", str(index)]
        if account.erp_key is not None:
            errors.append(
                DomainError(
                    ErrorCode.ERP_KEY_CONFLICT,
                    f"Account {account.code} already has ERP key {account.erp_key}; an ERP key "
                    "changes only through the ERP's account sync",
                    field=field,
                )
            )
        elif key in holders:
            errors.append(
                DomainError(
                    ErrorCode.ERP_KEY_CONFLICT,
                    f"ERP key {key} belongs to account {holders[key]}",
                    field=field,
                )
            )
        else:
            account.erp_key = key
            holders[key] = account.code
    raise_if_any(errors)
