"""Spending budgets (issue #16 §2): how much an account, one of its memberships or one of its
cost centres may spend in a period, and what checkout does with a cart that would go over.

Pure rules only: the period a budget covers now, what counts as spend, the state of one budget
against a cart, and the decision of all the budgets a cart counts against. `resolvers.budgets`
reads the facts (`loaders.budgets.spend_statement` is the SQL twin of `spend` here,
tests/test_budget_twins.py).

Amounts are the goods (a cart's total, an order's subtotal): the same figure the approval limits
of CM10 compare, and the one a pending cart already has (its ship-from surcharge is fixed only
when the order is placed). Tradepost keeps one currency, so a budget's amount is in it.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from enum import Enum

from domain.changes import UNSET, Maybe
from domain.enums import CartStatus
from domain.errors import DomainError, ErrorCode
from domain.validation import check_money


class BudgetScope(Enum):
    """Whose spend a budget caps: the whole account's, one membership's (a contact buying at
    the account), or one cost centre's (the code carts and orders carry)."""

    ACCOUNT = "ACCOUNT"
    MEMBERSHIP = "MEMBERSHIP"
    COST_CENTRE = "COST_CENTRE"


class BudgetPeriod(Enum):
    """Calendar periods restart by themselves; a CUSTOM one runs from its first to its last day."""

    MONTH = "MONTH"
    QUARTER = "QUARTER"
    YEAR = "YEAR"
    CUSTOM = "CUSTOM"


class OverBudgetAction(Enum):
    """What checkout does with a cart that would take the budget over its amount."""

    BLOCK = "BLOCK"
    REQUIRE_APPROVAL = "REQUIRE_APPROVAL"


class BudgetOutcome(Enum):
    OK = "OK"
    NEEDS_APPROVAL = "NEEDS_APPROVAL"
    BLOCKED = "BLOCKED"


# The strictest outcome wins.
_SEVERITY = {BudgetOutcome.OK: 0, BudgetOutcome.NEEDS_APPROVAL: 1, BudgetOutcome.BLOCKED: 2}


@dataclass(frozen=True)
class PeriodBounds:
    """A period's first and last day in the platform's time zone, and the same as instants:
    `start` inclusive, `end` exclusive (midnight after the last day)."""

    starts_on: date
    ends_on: date
    start: datetime
    end: datetime

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _last_day_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_bounds(
    *,
    period: BudgetPeriod,
    now: datetime,
    tz: tzinfo,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> PeriodBounds:
    """The period that holds `now`, its days counted in `tz` (the platform's time zone, setting
    `TIME_ZONE`): a budget of March in Sydney starts at Sydney's midnight, 13:00 UTC on the last
    day of February. A CUSTOM period is its own dates (`starts_on`, `ends_on`), whether or not
    they hold `now`; `contains` says whether it applies."""
    today = now.astimezone(tz).date()
    if period is BudgetPeriod.CUSTOM:
        if starts_on is None or ends_on is None:
            raise ValueError("a CUSTOM period needs both its dates")
        first, last = starts_on, ends_on
    elif period is BudgetPeriod.MONTH:
        first, last = today.replace(day=1), _last_day_of_month(today.year, today.month)
    elif period is BudgetPeriod.QUARTER:
        first = _quarter_start(today)
        last = _last_day_of_month(first.year, first.month + 2)
    else:
        first, last = date(today.year, 1, 1), date(today.year, 12, 31)

    def midnight(day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=tz).astimezone(UTC)

    return PeriodBounds(
        starts_on=first,
        ends_on=last,
        start=midnight(first),
        end=midnight(last + timedelta(days=1)),
    )


@dataclass(frozen=True)
class BudgetChanges:
    """What a budget edit sets (its scope and target stay: another target is another budget)."""

    period: Maybe[BudgetPeriod | None] = UNSET
    starts_on: Maybe[date | None] = UNSET
    ends_on: Maybe[date | None] = UNSET
    amount: Maybe[Decimal | None] = UNSET
    over_budget_action: Maybe[OverBudgetAction | None] = UNSET
    is_active: Maybe[bool | None] = UNSET


def check_budget(
    *,
    scope: BudgetScope,
    period: BudgetPeriod,
    amount: Decimal,
    starts_on: date | None,
    ends_on: date | None,
    membership_given: bool,
    cost_centre: str | None,
) -> list[DomainError]:
    """A budget's values as they will be saved, each refusal on its input field: an amount
    that is no money or negative (zero is a budget that lets nothing through); CUSTOM without
    both dates, or ending before it starts; dates on a calendar period (it restarts by
    itself); a scope without its target, or a target the scope does not take."""
    errors = check_money("amount", amount)
    if period is BudgetPeriod.CUSTOM:
        for name, value in (("startsOn", starts_on), ("endsOn", ends_on)):
            if value is None:
                errors.append(
                    DomainError(ErrorCode.REQUIRED, "A CUSTOM period needs its dates", field=[name])
                )
        if starts_on is not None and ends_on is not None and ends_on < starts_on:
            errors.append(
                DomainError(ErrorCode.INVALID, "The period ends before it starts", field=["endsOn"])
            )
    else:
        for name, value in (("startsOn", starts_on), ("endsOn", ends_on)):
            if value is not None:
                errors.append(
                    DomainError(
                        ErrorCode.INVALID,
                        f"A {period.value} budget restarts every {period.value.lower()}; "
                        "only CUSTOM periods take dates",
                        field=[name],
                    )
                )
    targets = (
        ("membershipId", BudgetScope.MEMBERSHIP, membership_given),
        ("costCentre", BudgetScope.COST_CENTRE, bool(cost_centre and cost_centre.strip())),
    )
    for name, needs_it, given in targets:
        if scope is needs_it and not given:
            errors.append(
                DomainError(ErrorCode.REQUIRED, f"A {scope.value} budget names it", field=[name])
            )
        elif scope is not needs_it and given:
            errors.append(
                DomainError(
                    ErrorCode.INVALID, f"A {scope.value} budget does not take it", field=[name]
                )
            )
    return errors


@dataclass(frozen=True)
class BudgetTarget:
    """Whose spend a budget counts: every order and cart of the account, or only those of one
    contact (a MEMBERSHIP budget) or charged to one cost centre code."""

    scope: BudgetScope
    account_id: int
    contact_id: int | None = None
    cost_centre: str | None = None


@dataclass(frozen=True)
class OrderFact:
    account_id: int
    contact_id: int | None
    cost_centre: str | None
    created_at: datetime
    subtotal: Decimal


@dataclass(frozen=True)
class CartFact:
    id: int
    account_id: int
    contact_id: int | None
    cost_centre: str | None
    status: CartStatus
    # When a pending cart was submitted: it cannot change while it waits.
    updated_at: datetime
    total: Decimal


def _counts(
    target: BudgetTarget, account_id: int, contact_id: int | None, cost_centre: str | None
) -> bool:
    if account_id != target.account_id:
        return False
    if target.scope is BudgetScope.MEMBERSHIP:
        return contact_id == target.contact_id
    if target.scope is BudgetScope.COST_CENTRE:
        return cost_centre == target.cost_centre
    return True


@dataclass(frozen=True)
class Spend:
    spent: Decimal
    pending: Decimal


def spend(
    *,
    target: BudgetTarget,
    bounds: PeriodBounds,
    orders: Iterable[OrderFact],
    carts: Iterable[CartFact],
    excluding_cart_id: int | None = None,
) -> Spend:
    """Issue #16: "spend is the orders placed and the carts pending approval in the period".
    `spent`: the target's orders created in the period (a converted quote is an order, so it
    counts once it is one; orders are never cancelled in Tradepost, so every one counts);
    `pending`: its carts waiting for approval, submitted in the period, but for
    `excluding_cart_id` (the cart being decided, counted as the cart itself)."""
    spent = sum(
        (
            o.subtotal
            for o in orders
            if _counts(target, o.account_id, o.contact_id, o.cost_centre)
            and bounds.contains(o.created_at)
        ),
        Decimal("0"),
    )
    pending = sum(
        (
            c.total
            for c in carts
            if c.status is CartStatus.PENDING_APPROVAL
            and c.id != excluding_cart_id
            and _counts(target, c.account_id, c.contact_id, c.cost_centre)
            and bounds.contains(c.updated_at)
        ),
        Decimal("0"),
    )
    return Spend(spent=spent, pending=pending)


@dataclass(frozen=True)
class BudgetState:
    """One budget against one cart: what is left before the cart, and whether the cart would
    take it over. `remaining` is below zero when approved carts already went over."""

    limit: Decimal
    spent: Decimal
    pending: Decimal
    remaining: Decimal
    would_exceed: bool


def budget_state(*, limit: Decimal, used: Spend, cart_total: Decimal) -> BudgetState:
    """Issue #16 §2 "over budget": the cart would take spent + pending + itself above the
    amount; a cart that lands exactly on it is within budget."""
    remaining = limit - used.spent - used.pending
    return BudgetState(
        limit=limit,
        spent=used.spent,
        pending=used.pending,
        remaining=remaining,
        would_exceed=cart_total > remaining,
    )


@dataclass(frozen=True)
class AppliedBudget:
    """A budget the cart counts against, with its state."""

    budget_id: int
    action: OverBudgetAction
    state: BudgetState


@dataclass(frozen=True)
class BudgetCheck:
    budget: AppliedBudget
    outcome: BudgetOutcome


@dataclass(frozen=True)
class BudgetDecision:
    outcome: BudgetOutcome
    checks: tuple[BudgetCheck, ...] = ()

    def refusal(self) -> DomainError | None:
        """The checkout refusal of a BLOCKED decision, naming the tightest budget."""
        if self.outcome is not BudgetOutcome.BLOCKED:
            return None
        blocking = min(
            (c.budget.state for c in self.checks if c.outcome is BudgetOutcome.BLOCKED),
            key=lambda state: state.remaining,
        )
        return DomainError(
            ErrorCode.OVER_BUDGET,
            f"The cart is over budget: {max(blocking.remaining, Decimal('0'))} of "
            f"{blocking.limit} is left",
            field=["cartId"],
        )


NO_BUDGETS = BudgetDecision(outcome=BudgetOutcome.OK)


def decide(*, budgets: Iterable[AppliedBudget], approved: bool = False) -> BudgetDecision:
    """The budgets' decision on a cart (each state already holds the cart's total): a budget
    the cart would go over BLOCKs or asks for approval, as its action says; the strictest
    budget wins. An approver's yes (`approved`) lifts REQUIRE_APPROVAL budgets, never BLOCK
    ones: a BLOCK budget is a hard cap that nobody at the account overrides (as approvals
    lift soft limits only in Shopify B2B and commercetools)."""
    checks = []
    for budget in budgets:
        outcome = BudgetOutcome.OK
        if budget.state.would_exceed:
            if budget.action is OverBudgetAction.BLOCK:
                outcome = BudgetOutcome.BLOCKED
            elif not approved:
                outcome = BudgetOutcome.NEEDS_APPROVAL
        checks.append(BudgetCheck(budget=budget, outcome=outcome))
    strictest = max(
        (c.outcome for c in checks), key=_SEVERITY.__getitem__, default=BudgetOutcome.OK
    )
    return BudgetDecision(outcome=strictest, checks=tuple(checks))
