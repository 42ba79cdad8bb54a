"""Loaders of spending budgets and of their spend."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Self

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Numeric,
    Select,
    cast,
    func,
    literal,
    literal_column,
    select,
    union_all,
)
from sqlalchemy import type_coerce as coerce
from sqlmodel import col

from domain.budgets import BudgetScope, BudgetTarget, PeriodBounds, Spend
from domain.enums import CartStatus
from loaders.base import RequestScope, RowByKeyLoader, RowLoader, RowsByKeyLoader
from models import Budget, Cart, Order


class BudgetByIdLoader(RowByKeyLoader[Budget]):
    model = Budget


class BudgetsByAccountIdLoader(RowsByKeyLoader[Budget]):
    model = Budget
    key_column = "account_id"
    order_by = ("account_id", "id")


@dataclass(frozen=True)
class SpendKey:
    """Whose spend, in which period, leaving out the cart being decided (if any)."""

    target: BudgetTarget
    bounds: PeriodBounds
    excluding_cart_id: int | None = None


def _scoped(target: BudgetTarget, contact: Any, cost_centre: Any) -> list[ColumnElement[bool]]:
    """`domain.budgets._counts` in SQL."""
    if target.scope is BudgetScope.MEMBERSHIP:
        return [contact == target.contact_id]
    if target.scope is BudgetScope.COST_CENTRE:
        return [cost_centre == target.cost_centre]
    return []


def _cents(amount: Any) -> Any:
    """The sum of a money column in whole cents: exact on PostgreSQL and on SQLite, where the
    column is text and SUM would add floats."""
    cents = func.round(coerce(amount, Numeric) * literal_column("100"))
    return func.coalesce(func.sum(cast(cents, BigInteger)), 0)


def spend_statement(key: SpendKey) -> Select[Any]:
    """`domain.budgets.spend` in SQL (tests/test_budget_twins.py holds them together): one row
    of the target's orders placed in the period and its carts pending approval submitted in
    it, in cents."""
    target, bounds = key.target, key.bounds
    orders = select(_cents(Order.subtotal)).where(
        col(Order.account_id) == target.account_id,
        col(Order.created_at) >= bounds.start,
        col(Order.created_at) < bounds.end,
        *_scoped(target, col(Order.created_by_contact_id), col(Order.cost_centre)),
    )
    carts = select(_cents(Cart.total)).where(
        col(Cart.account_id) == target.account_id,
        col(Cart.status) == CartStatus.PENDING_APPROVAL,
        col(Cart.updated_at) >= bounds.start,
        col(Cart.updated_at) < bounds.end,
        col(Cart.id) != (key.excluding_cart_id or 0),
        *_scoped(target, col(Cart.contact_id), col(Cart.cost_centre)),
    )
    return select(orders.scalar_subquery(), carts.scalar_subquery())


def spend_of_row(spent: Any, pending: Any) -> Spend:
    return Spend(spent=Decimal(spent).scaleb(-2), pending=Decimal(pending).scaleb(-2))


# Keys of one batch: one compound SELECT, within SQLite's 500 terms and its bind limit.
SPEND_BATCH = 100


class SpendLoader(RowLoader):
    """The spend of many budgets in one statement (a page of carts to approve, an account's
    budgets). Checkout reads it afresh under the budget's lock instead (`spend_statement`)."""

    @classmethod
    def for_request(cls, scope: RequestScope) -> Self:
        batch = min(SPEND_BATCH, scope.settings.loader_max_batch_size)
        return cls(scope.db, max_batch_size=batch)

    async def batch_load_fn(self, keys: Sequence[SpendKey]) -> list[Spend]:
        statement = union_all(
            *(
                spend_statement(key).add_columns(literal(index).label("key_index"))
                for index, key in enumerate(keys)
            )
        )
        found: dict[int, Spend] = {}
        rows: Any = await self.db.execute(statement)
        for spent, pending, index in rows:
            found[index] = spend_of_row(spent, pending)
        return [found[index] for index in range(len(keys))]
