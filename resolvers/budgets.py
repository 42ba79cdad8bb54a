"""Spending budgets (issue #16 §2): who reads and sets them, what they have spent, and what
they decide about a cart at checkout and approval (`domain.budgets` holds the rules).

Budgets and their spend are read and set by those who manage the account (`may_manage`: staff,
the account's sales rep, its ADMINISTRATOR members). A cart's budget checks are shown to whoever
sees the cart: the shopper at checkout (the remaining budget), the approver who decides it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from core.context import Context
from domain.budgets import (
    AppliedBudget,
    BudgetChanges,
    BudgetDecision,
    BudgetPeriod,
    BudgetScope,
    BudgetTarget,
    OverBudgetAction,
    PeriodBounds,
    Spend,
    budget_state,
    check_budget,
    decide,
    period_bounds,
)
from domain.carts import check_cost_centre
from domain.changes import after, set_fields
from domain.errors import DomainError, ErrorCode, raise_if_any
from loaders.accounts import MembershipByIdLoader
from loaders.budgets import (
    BudgetByIdLoader,
    BudgetsByAccountIdLoader,
    SpendKey,
    SpendLoader,
    spend_of_row,
    spend_statement,
)
from models import Account, Budget, Cart
from models.column_limits import column_errors, value_errors
from resolvers.access import managed_account, may_manage, readable_account
from resolvers.carts import cost_centre_codes, membership_of
from resolvers.row_locks import lock_row


def bounds_of(context: Context, budget: Budget) -> PeriodBounds:
    """The budget's period that holds now, in the platform's time zone."""
    return period_bounds(
        period=budget.period,
        now=context.now,
        tz=context.settings.zone,
        starts_on=budget.starts_on,
        ends_on=budget.ends_on,
    )


async def target_of(context: Context, budget: Budget) -> BudgetTarget:
    contact_id = None
    if budget.membership_id is not None:
        membership = await context.loader(MembershipByIdLoader).load(budget.membership_id)
        contact_id = membership.contact_id if membership is not None else None
    return BudgetTarget(
        scope=budget.scope,
        account_id=budget.account_id,
        contact_id=contact_id,
        cost_centre=budget.cost_centre,
    )


async def spend_of(
    context: Context,
    target: BudgetTarget,
    bounds: PeriodBounds,
    *,
    excluding_cart_id: int | None = None,
    fresh: bool = False,
) -> Spend:
    """What the target spent in the period (`loaders.budgets.spend_statement`), batched with
    the request's other reads; `fresh` (under a budget's lock) reads it now, past the batch and
    its cache, so a checkout that waited sees the order of the one before."""
    key = SpendKey(target=target, bounds=bounds, excluding_cart_id=excluding_cart_id)
    if not fresh:
        spend: Spend = await context.loader(SpendLoader).load(key)
        return spend
    row: Any = (await context.db.execute(spend_statement(key))).one()
    return spend_of_row(*row)


@dataclass(frozen=True)
class BudgetReading:
    """A budget as `Account.budgets` shows it: its period now and what it has used."""

    budget: Budget
    bounds: PeriodBounds
    used: Spend

    @property
    def remaining(self) -> Decimal:
        return self.budget.amount - self.used.spent - self.used.pending


async def read_budget(context: Context, budget: Budget) -> BudgetReading:
    bounds = bounds_of(context, budget)
    used = await spend_of(context, await target_of(context, budget), bounds)
    return BudgetReading(budget=budget, bounds=bounds, used=used)


async def account_budgets(context: Context, account: Account) -> list[Budget]:
    """`Account.budgets`: every budget of the account, for those who manage it; none for
    others (the list is short, so it is a plain list)."""
    if not may_manage(context.viewer, account):
        return []
    assert account.id is not None
    return list(await context.loader(BudgetsByAccountIdLoader).load(account.id))


async def readable_budget(context: Context, budget_id: int | None) -> Budget | None:
    """The budget when the viewer manages its account; None otherwise, alike."""
    if budget_id is None:
        return None
    budget = await context.loader(BudgetByIdLoader).load(budget_id)
    if budget is None:
        return None
    account = await readable_account(context, budget.account_id)
    return budget if account is not None and may_manage(context.viewer, account) else None


async def applicable_budgets(context: Context, cart: Cart) -> list[Budget]:
    """The active budgets the cart counts against, whose period holds now: the account's, its
    shopper's membership's, its cost centre's."""
    membership = await membership_of(context, cart.contact_id, cart.account_id)

    def applies(budget: Budget) -> bool:
        if not budget.is_active or not bounds_of(context, budget).contains(context.now):
            return False
        if budget.scope is BudgetScope.MEMBERSHIP:
            return membership is not None and budget.membership_id == membership.id
        if budget.scope is BudgetScope.COST_CENTRE:
            return cart.cost_centre is not None and budget.cost_centre == cart.cost_centre
        return True

    rows = await context.loader(BudgetsByAccountIdLoader).load(cart.account_id)
    return [budget for budget in rows if applies(budget)]


async def _spend_for(context: Context, budget: Budget, cart: Cart, *, fresh: bool) -> Spend:
    return await spend_of(
        context,
        await target_of(context, budget),
        bounds_of(context, budget),
        excluding_cart_id=cart.id,
        fresh=fresh,
    )


async def budget_decision(
    context: Context, cart: Cart, *, cart_total: Decimal, approved: bool, lock: bool
) -> BudgetDecision:
    """The budgets' decision on the cart. With `lock` (a checkout or an approval that will
    write), each budget's row is locked first, in id order, so that two checkouts against one
    budget take turns: the second reads the spend the first committed (on PostgreSQL; SQLite's
    writers take turns anyway). The cart itself is left out of the pending spend, since it is
    counted as the cart."""
    budgets = sorted(await applicable_budgets(context, cart), key=lambda b: b.id or 0)
    if lock:
        used = []
        for budget in budgets:
            await lock_row(context, Budget, budget.id)
            used.append(await _spend_for(context, budget, cart, fresh=True))
    else:
        # Every budget of every cart on a page in one batch (`SpendLoader`).
        used = list(
            await asyncio.gather(*(_spend_for(context, b, cart, fresh=False) for b in budgets))
        )
    applied = [
        AppliedBudget(
            budget_id=budget.id or 0,
            action=budget.over_budget_action,
            state=budget_state(limit=budget.amount, used=spend, cart_total=cart_total),
        )
        for budget, spend in zip(budgets, used, strict=True)
    ]
    return decide(budgets=applied, approved=approved)


@dataclass(frozen=True)
class BudgetValues:
    """A new budget as the client sent it."""

    scope: BudgetScope
    period: BudgetPeriod
    amount: Decimal
    over_budget_action: OverBudgetAction
    membership_id: int | None = None
    cost_centre: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    is_active: bool = True


async def _checked(context: Context, budget: Budget) -> list[DomainError]:
    """`check_budget` on a new budget, and its target at its account (later its scope and
    target never change, and a cost centre code that `setCostCentres` dropped keeps counting
    the orders that carry it)."""
    errors = check_budget(
        scope=budget.scope,
        period=budget.period,
        amount=budget.amount,
        starts_on=budget.starts_on,
        ends_on=budget.ends_on,
        membership_given=budget.membership_id is not None,
        cost_centre=budget.cost_centre,
    )
    if budget.membership_id is not None and budget.scope is BudgetScope.MEMBERSHIP:
        membership = await context.loader(MembershipByIdLoader).load(budget.membership_id)
        if membership is None or membership.account_id != budget.account_id:
            errors.append(
                DomainError(
                    ErrorCode.NOT_FOUND, "No such membership of the account", field=["membershipId"]
                )
            )
    if budget.cost_centre and budget.scope is BudgetScope.COST_CENTRE and not errors:
        known = await cost_centre_codes(context, budget.account_id)
        errors += check_cost_centre(cost_centre=budget.cost_centre, known=known)
    return errors


async def create_budget(context: Context, account_id: int | None, values: BudgetValues) -> Budget:
    # The text's limit first, as every mutation's input is checked before its objects.
    raise_if_any(value_errors(Budget.cost_centre, values.cost_centre, field=["costCentre"]))
    account = await managed_account(context, account_id, field="accountId")
    assert account.id is not None
    budget = Budget(
        account_id=account.id,
        scope=values.scope,
        membership_id=values.membership_id,
        cost_centre=(values.cost_centre or "").strip() or None,
        period=values.period,
        starts_on=values.starts_on,
        ends_on=values.ends_on,
        amount=values.amount,
        over_budget_action=values.over_budget_action,
        is_active=values.is_active,
        created_at=context.now,
        updated_at=context.now,
    )
    raise_if_any(await _checked(context, budget))
    context.session.add(budget)
    await context.session.flush()
    return budget


async def _managed_budget(context: Context, budget_id: int | None) -> Budget:
    """The budget to change: NOT_FOUND when the viewer may not read its account, NOT_PERMITTED
    when it may read but not manage it (a shopper of the account)."""
    budget: Budget | None = (
        await context.loader(BudgetByIdLoader).load(budget_id) if budget_id is not None else None
    )
    if budget is None or await readable_account(context, budget.account_id) is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such budget", field=["id"])
    await managed_account(context, budget.account_id, field="id")
    return budget


async def update_budget(context: Context, budget_id: int | None, changes: BudgetChanges) -> Budget:
    """Change a budget's period, amount, action or whether it is active (its scope and target
    stay: another target is another budget). Moving to a calendar period clears the dates
    unless they are sent."""
    budget = await _managed_budget(context, budget_id)
    await lock_row(context, Budget, budget.id)
    if after(changes.period, budget.period) is not BudgetPeriod.CUSTOM:
        changes = replace(
            changes,
            starts_on=after(changes.starts_on, None),
            ends_on=after(changes.ends_on, None),
        )
    # A null sent for a field the budget always has (its period, amount, action, activity).
    raise_if_any(column_errors(Budget, changes))
    # Checked as it will be before anything is set, so a refusal leaves the row as it was.
    period, amount = after(changes.period, budget.period), after(changes.amount, budget.amount)
    assert period is not None and amount is not None  # a null is refused just above
    raise_if_any(
        check_budget(
            scope=budget.scope,
            period=period,
            amount=amount,
            starts_on=after(changes.starts_on, budget.starts_on),
            ends_on=after(changes.ends_on, budget.ends_on),
            membership_given=budget.membership_id is not None,
            cost_centre=budget.cost_centre,
        )
    )
    for name, value in set_fields(changes).items():
        setattr(budget, name, value)
    budget.updated_at = context.now
    return budget


async def delete_budget(context: Context, budget_id: int | None) -> int:
    budget = await _managed_budget(context, budget_id)
    assert budget.id is not None
    await context.session.delete(budget)
    await context.session.flush()
    return budget.id
