"""Orders: who may read them, the lists, and the ERP export queue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, false, or_, select, true
from sqlmodel import col

from api.context import Context
from domain.carts import owns_cart
from domain.enums import ApiKeyScope, ExportKind, OrderStatus
from domain.errors import DomainError, ErrorCode, raise_if_any
from domain.validation import check_length, under
from loaders.accounts import AccountByIdLoader
from loaders.carts import OrderByIdLoader
from models import Account, ErpExport, Order
from resolvers.access import may_manage, readable_account


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


@dataclass(frozen=True)
class OrderQuery:
    """The orders grid's filter (a saved search's `ORDERS` values)."""

    statuses: frozenset[OrderStatus] = frozenset()
    search: str | None = None


def _newest_first(statement: Select[Any], query: OrderQuery) -> Select[Any]:
    if query.statuses:
        statement = statement.where(col(Order.status).in_(query.statuses))
    if query.search and query.search.strip():
        pattern = f"%{query.search.strip().lower()}%"
        statement = statement.where(
            or_(col(Order.po_number).ilike(pattern), col(Order.erp_key).ilike(pattern))
        )
    return statement.order_by(col(Order.created_at).desc(), col(Order.id).desc())


def own_orders(context: Context, query: OrderQuery) -> Select[Any]:
    """`Viewer.orders`: the orders the viewer created at its active account."""
    viewer = context.viewer
    creator = (
        col(Order.created_by_contact_id) == viewer.contact_id
        if viewer.contact_id is not None
        else col(Order.created_by_worker_id) == viewer.worker_id
    )
    return _newest_first(
        select(Order).where(creator, col(Order.account_id) == viewer.active_account_id), query
    )


def account_orders(context: Context, account: Account, query: OrderQuery) -> Select[Any]:
    """`Account.orders`: for those who manage the account, and integrators."""
    viewer = context.viewer
    allowed = may_manage(viewer, account) or viewer.has_scope(ApiKeyScope.READ)
    return _newest_first(
        select(Order).where(col(Order.account_id) == account.id, true() if allowed else false()),
        query,
    )


def pending_exports() -> Select[Any]:
    """Orders and accounts the ERP has not acknowledged yet, oldest first."""
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
            for error in under(["erpKeys", str(index)], check_length("erpKey", key, 64))
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
    order_keys: dict[int | None, str] = {}
    account_keys: dict[int | None, str] = {}
    for export, erp_key in zip(exports, keys, strict=True):
        if export.acknowledged_at is not None:
            continue
        export.acknowledged_at = context.now
        export.erp_key = erp_key
        if erp_key is not None and export.kind is ExportKind.ORDER:
            order_keys[export.order_id] = erp_key
        elif erp_key is not None:
            account_keys[export.account_id] = erp_key
    for order in await context.loader(OrderByIdLoader).load_many(list(order_keys)):
        order.erp_key = order_keys[order.id]
    for account in await context.loader(AccountByIdLoader).load_many(list(account_keys)):
        account.erp_key = account_keys[account.id]
    return exports
