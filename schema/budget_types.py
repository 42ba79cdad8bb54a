"""Spending budgets as GraphQL objects (issue #16 §2, docs/budgets.md)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from domain.budgets import BudgetCheck as BudgetCheckValue
from domain.budgets import BudgetOutcome, BudgetPeriod, BudgetScope, OverBudgetAction
from loaders.accounts import MembershipByIdLoader
from loaders.budgets import BudgetByIdLoader
from models import Budget as BudgetRow
from resolvers import budgets
from resolvers.budgets import BudgetReading
from schema.info import Info
from schema.order_types import account_of
from schema.relay import FromRow, Node

if TYPE_CHECKING:
    from schema.customer_types import Account, AccountMembership

LazyAccount = Annotated["Account", strawberry.lazy("schema.customer_types")]
LazyMembership = Annotated["AccountMembership", strawberry.lazy("schema.customer_types")]

strawberry.enum(BudgetScope)
strawberry.enum(BudgetPeriod)
strawberry.enum(OverBudgetAction)
strawberry.enum(BudgetOutcome)


@strawberry.type(description="The period of a budget that holds today: its kind and days.")
class BudgetPeriodDates:
    kind: BudgetPeriod
    starts_on: date = strawberry.field(description="The first day (platform time zone).")
    ends_on: date = strawberry.field(description="The last day, inclusive.")


@strawberry.type(
    description="A spending budget: what the account, one membership or one cost centre may "
    "spend per period, and what checkout does with a cart that would go over."
)
class Budget(Node, FromRow):
    row: strawberry.Private[BudgetRow]
    scope: BudgetScope
    cost_centre: str | None = strawberry.field(description="COST_CENTRE: the cost centre code.")
    amount: Decimal = strawberry.field(description="The most the period may spend (goods).")
    over_budget_action: OverBudgetAction = strawberry.field(
        description="BLOCK refuses a cart that would go over; REQUIRE_APPROVAL sends it to an "
        "approver, whose yes lets it through."
    )
    is_active: bool = strawberry.field(description="An inactive budget decides nothing.")
    created_at: datetime
    updated_at: datetime
    # What `spent`, `pending`, `remaining` and `period` share, read once.
    _reading: strawberry.Private[BudgetReading | None] = dataclasses.field(default=None, init=False)

    async def reading(self, info: Info) -> BudgetReading:
        if self._reading is None:
            self._reading = await budgets.read_budget(info.context, self.row)
        return self._reading

    @strawberry.field
    async def account(self, info: Info) -> LazyAccount | None:
        return await account_of(info, self.row.account_id)

    @strawberry.field(description="MEMBERSHIP: the contact's membership of the account.")
    async def membership(self, info: Info) -> LazyMembership | None:
        from schema.customer_types import AccountMembership

        if self.row.membership_id is None:
            return None
        row = await info.context.loader(MembershipByIdLoader).load(self.row.membership_id)
        return AccountMembership.from_optional_row(row)

    @strawberry.field(description="The period that holds today.")
    async def period(self, info: Info) -> BudgetPeriodDates:
        bounds = (await self.reading(info)).bounds
        return BudgetPeriodDates(
            kind=self.row.period, starts_on=bounds.starts_on, ends_on=bounds.ends_on
        )

    @strawberry.field(description="Orders placed in the period (their goods).")
    async def spent(self, info: Info) -> Decimal:
        return (await self.reading(info)).used.spent

    @strawberry.field(description="Carts submitted in the period and waiting for approval.")
    async def pending(self, info: Info) -> Decimal:
        return (await self.reading(info)).used.pending

    @strawberry.field(description="amount - spent - pending; below zero when approvals went over.")
    async def remaining(self, info: Info) -> Decimal:
        return (await self.reading(info)).remaining


@strawberry.type(description="One budget a cart counts against, and what it says about the cart.")
class BudgetCheck:
    budget_key: strawberry.Private[int]
    spent: Decimal = strawberry.field(description="The budget's orders of the period.")
    pending: Decimal = strawberry.field(
        description="The budget's other carts waiting for approval."
    )
    remaining: Decimal = strawberry.field(description="What is left before this cart.")
    would_exceed: bool = strawberry.field(description="The cart's goods are above `remaining`.")
    decision: BudgetOutcome = strawberry.field(
        description="OK, NEEDS_APPROVAL (over a REQUIRE_APPROVAL budget, not yet approved) or "
        "BLOCKED (over a BLOCK budget)."
    )

    @classmethod
    def of(cls, check: BudgetCheckValue) -> BudgetCheck:
        state = check.budget.state
        return cls(
            budget_key=check.budget.budget_id,
            spent=state.spent,
            pending=state.pending,
            remaining=state.remaining,
            would_exceed=state.would_exceed,
            decision=check.outcome,
        )

    @strawberry.field(
        description="The budget, shown to whoever sees the cart (its shopper, its approver)."
    )
    async def budget(self, info: Info) -> Budget | None:
        row = await info.context.loader(BudgetByIdLoader).load(self.budget_key)
        return Budget.from_optional_row(row)
