"""A budget's spend exists twice, as a pure function (`domain.budgets.spend`) and as its SQL copy
(`loaders.budgets.spend_statement`, which checkout reads alone and a page of carts in one batch):
over one table of orders and carts, for every scope, period and excluded cart, the two give the
same spent and pending amounts, on the test database (SQLite, or PostgreSQL in CI)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.context import Context
from core.settings import Settings
from domain.budgets import (
    BudgetPeriod,
    BudgetScope,
    BudgetTarget,
    CartFact,
    OrderFact,
    PeriodBounds,
    period_bounds,
    spend,
)
from domain.enums import CartStatus
from models import Account, Cart, Contact, Order
from resolvers.budgets import spend_of
from resolvers.system_context import SYSTEM
from tests.factories import make_account, make_cart, make_contact, make_order, make_product


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# (account, contact, cost centre, when, subtotal) of each order
ORDERS = [
    ("A", "ann", "CC1", "2026-03-01T00:00:00", "10.05"),  # the month's first instant
    ("A", "ann", None, "2026-03-31T23:59:59", "0.10"),  # its last second
    ("A", "bob", "CC1", "2026-03-15T12:00:00", "0.20"),
    ("A", "bob", "CC2", "2026-02-28T23:59:59", "40.00"),  # the month before
    ("A", "ann", "CC1", "2026-04-01T00:00:00", "80.00"),  # the month after
    ("B", "cat", "CC1", "2026-03-10T00:00:00", "160.00"),  # another account
    ("A", "ann", None, "2026-01-10T00:00:00", "320.00"),  # the quarter's first month
]
# (account, contact, cost centre, status, submitted, total) of each cart
CARTS = [
    ("A", "ann", "CC1", CartStatus.PENDING_APPROVAL, "2026-03-02T00:00:00", "1.01"),
    ("A", "bob", None, CartStatus.PENDING_APPROVAL, "2026-03-20T00:00:00", "2.02"),
    ("A", "ann", "CC1", CartStatus.OPEN, "2026-03-03T00:00:00", "4.00"),
    ("A", "ann", None, CartStatus.PENDING_APPROVAL, "2026-02-27T00:00:00", "8.00"),
    ("B", "cat", "CC1", CartStatus.PENDING_APPROVAL, "2026-03-05T00:00:00", "16.00"),
]

NOW = at("2026-03-18T09:00:00")
PERIODS = {
    "month": period_bounds(period=BudgetPeriod.MONTH, now=NOW, tz=UTC),
    "quarter": period_bounds(period=BudgetPeriod.QUARTER, now=NOW, tz=UTC),
    "custom": period_bounds(
        period=BudgetPeriod.CUSTOM,
        now=NOW,
        tz=UTC,
        starts_on=datetime(2026, 3, 15).date(),
        ends_on=datetime(2026, 3, 20).date(),
    ),
}


async def arranged(
    session: AsyncSession,
) -> tuple[dict[str, Account], dict[str, Contact], list[OrderFact], list[CartFact]]:
    accounts = {code: await make_account(session, code=code) for code in ("A", "B")}
    people = {
        name: await make_contact(session, account=accounts["B" if name == "cat" else "A"])
        for name in ("ann", "bob", "cat")
    }
    for code, name, centre, when, subtotal in ORDERS:
        await make_order(
            session,
            account=accounts[code],
            contact=people[name],
            subtotal=subtotal,
            created_at=at(when),
            cost_centre=centre,
        )
    product = await make_product(session)
    for code, name, centre, status, when, total in CARTS:
        await make_cart(
            session,
            account=accounts[code],
            contact=people[name],
            lines=[(product, 1, total)],
            status=status,
            cost_centre=centre,
            updated_at=at(when),
        )
    # Read back as stored, so both twins see the same rows.
    orders = [
        OrderFact(o.account_id, o.created_by_contact_id, o.cost_centre, o.created_at, o.subtotal)
        for o in await session.scalars(select(Order))
    ]
    carts = [
        CartFact(
            c.id or 0, c.account_id, c.contact_id, c.cost_centre, c.status, c.updated_at, c.total
        )
        for c in await session.scalars(select(Cart))
    ]
    await session.commit()
    return accounts, people, orders, carts


@pytest.mark.parametrize("period", sorted(PERIODS))
async def test_the_rule_and_its_sql_count_the_same_spend(
    session: AsyncSession, settings: Settings, period: str
) -> None:
    accounts, people, orders, carts = await arranged(session)
    a = accounts["A"].id
    assert a is not None
    targets = {
        "account A": BudgetTarget(scope=BudgetScope.ACCOUNT, account_id=a),
        "ann at A": BudgetTarget(
            scope=BudgetScope.MEMBERSHIP, account_id=a, contact_id=people["ann"].id
        ),
        "bob at A": BudgetTarget(
            scope=BudgetScope.MEMBERSHIP, account_id=a, contact_id=people["bob"].id
        ),
        "CC1 at A": BudgetTarget(scope=BudgetScope.COST_CENTRE, account_id=a, cost_centre="CC1"),
        "CC9 at A": BudgetTarget(scope=BudgetScope.COST_CENTRE, account_id=a, cost_centre="CC9"),
    }
    pending_ids = [c.id for c in carts if c.status is CartStatus.PENDING_APPROVAL]
    context = Context(request=None, settings=settings, session=session, viewer=SYSTEM)
    bounds: PeriodBounds = PERIODS[period]
    cases = [(name, excluded) for name in targets for excluded in (None, *pending_ids)]
    # Batched, as a page of carts reads them (one statement), and one by one, as checkout does.
    batched = await asyncio.gather(
        *(spend_of(context, targets[name], bounds, excluding_cart_id=x) for name, x in cases)
    )
    mismatches = {}
    for (name, excluded), in_batch in zip(cases, batched, strict=True):
        rule = spend(
            target=targets[name],
            bounds=bounds,
            orders=orders,
            carts=carts,
            excluding_cart_id=excluded,
        )
        fresh = await spend_of(
            context, targets[name], bounds, excluding_cart_id=excluded, fresh=True
        )
        if not rule == in_batch == fresh:
            mismatches[(name, excluded)] = (rule, in_batch, fresh)
    assert mismatches == {}
    # and the table is not trivial: the account's month is exactly its three orders and two carts
    whole = await spend_of(context, targets["account A"], PERIODS["month"])
    assert (whole.spent, whole.pending) == (Decimal("10.35"), Decimal("3.03"))
