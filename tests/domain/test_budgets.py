"""domain.budgets: the period that holds now, what counts as spend, and the decision."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from domain.budgets import (
    AppliedBudget,
    BudgetOutcome,
    BudgetPeriod,
    BudgetScope,
    BudgetTarget,
    CartFact,
    OrderFact,
    OverBudgetAction,
    Spend,
    budget_state,
    check_budget,
    decide,
    period_bounds,
    spend,
)
from domain.enums import CartStatus
from domain.errors import ErrorCode

SYDNEY = ZoneInfo("Australia/Sydney")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("period", "now", "first", "last"),
    [
        (BudgetPeriod.MONTH, "2026-02-14T10:00", date(2026, 2, 1), date(2026, 2, 28)),
        (BudgetPeriod.MONTH, "2028-02-29T23:59", date(2028, 2, 1), date(2028, 2, 29)),
        (BudgetPeriod.QUARTER, "2026-01-01T00:00", date(2026, 1, 1), date(2026, 3, 31)),
        (BudgetPeriod.QUARTER, "2026-03-31T23:59", date(2026, 1, 1), date(2026, 3, 31)),
        (BudgetPeriod.QUARTER, "2026-04-01T00:00", date(2026, 4, 1), date(2026, 6, 30)),
        (BudgetPeriod.QUARTER, "2026-09-30T12:00", date(2026, 7, 1), date(2026, 9, 30)),
        (BudgetPeriod.QUARTER, "2026-12-31T23:59", date(2026, 10, 1), date(2026, 12, 31)),
        (BudgetPeriod.YEAR, "2026-07-04T08:00", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_calendar_periods_in_utc(period: BudgetPeriod, now: str, first: date, last: date) -> None:
    bounds = period_bounds(period=period, now=at(now), tz=UTC)
    assert (bounds.starts_on, bounds.ends_on) == (first, last)
    assert bounds.start == datetime.combine(first, datetime.min.time(), tzinfo=UTC)
    assert bounds.contains(at(now))


def test_a_sydney_quarter_starts_at_sydney_midnight() -> None:
    # given 14:00 UTC on 31 March, already 1 April (01:00 AEDT) in Sydney
    now = at("2026-03-31T14:00")

    # when the quarter is taken in Sydney's time zone
    bounds = period_bounds(period=BudgetPeriod.QUARTER, now=now, tz=SYDNEY)

    # then it is the second quarter, from Sydney's midnight (13:00 UTC the day before, AEDT)
    assert (bounds.starts_on, bounds.ends_on) == (date(2026, 4, 1), date(2026, 6, 30))
    assert bounds.start == at("2026-03-31T13:00")
    # ...to Sydney's midnight after 30 June (14:00 UTC, AEST: daylight saving ended)
    assert bounds.end == at("2026-06-30T14:00")
    assert not bounds.contains(at("2026-03-31T12:59"))
    assert bounds.contains(now)


def test_a_custom_period_is_its_own_dates_whether_or_not_they_hold_now() -> None:
    bounds = period_bounds(
        period=BudgetPeriod.CUSTOM,
        now=at("2026-05-01T00:00"),
        tz=UTC,
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 6, 15),
    )
    assert (bounds.starts_on, bounds.ends_on) == (date(2026, 6, 1), date(2026, 6, 15))
    assert not bounds.contains(at("2026-05-01T00:00"))
    assert bounds.contains(at("2026-06-15T23:59"))
    assert not bounds.contains(at("2026-06-16T00:00"))


def codes(**values: object) -> list[tuple[str, list[str] | None]]:
    given: dict[str, object] = {
        "scope": BudgetScope.ACCOUNT,
        "period": BudgetPeriod.MONTH,
        "amount": Decimal("100.00"),
        "starts_on": None,
        "ends_on": None,
        "membership_given": False,
        "cost_centre": None,
        **values,
    }
    return [(e.code.value, e.field) for e in check_budget(**given)]  # type: ignore[arg-type]


def test_budget_values_are_checked_on_their_fields() -> None:
    assert codes() == []
    assert codes(amount=Decimal("0")) == []
    assert codes(amount=Decimal("-1")) == [("INVALID", ["amount"])]
    assert codes(amount=Decimal("1.001")) == [("INVALID", ["amount"])]
    assert codes(period=BudgetPeriod.CUSTOM) == [
        ("REQUIRED", ["startsOn"]),
        ("REQUIRED", ["endsOn"]),
    ]
    assert codes(
        period=BudgetPeriod.CUSTOM, starts_on=date(2026, 2, 1), ends_on=date(2026, 1, 31)
    ) == [("INVALID", ["endsOn"])]
    assert (
        codes(period=BudgetPeriod.CUSTOM, starts_on=date(2026, 2, 1), ends_on=date(2026, 2, 1))
        == []
    )
    assert codes(starts_on=date(2026, 2, 1)) == [("INVALID", ["startsOn"])]
    assert codes(scope=BudgetScope.MEMBERSHIP) == [("REQUIRED", ["membershipId"])]
    assert codes(scope=BudgetScope.COST_CENTRE, cost_centre=" ") == [("REQUIRED", ["costCentre"])]
    assert codes(membership_given=True, cost_centre="CC1") == [
        ("INVALID", ["membershipId"]),
        ("INVALID", ["costCentre"]),
    ]


MARCH = period_bounds(period=BudgetPeriod.MONTH, now=at("2026-03-15T00:00"), tz=UTC)


def order(contact: int, subtotal: str, when: str, cost_centre: str | None = None) -> OrderFact:
    return OrderFact(
        account_id=1,
        contact_id=contact,
        cost_centre=cost_centre,
        created_at=at(when),
        subtotal=Decimal(subtotal),
    )


def test_spend_counts_the_targets_orders_and_pending_carts_of_the_period() -> None:
    orders = [
        order(7, "10.00", "2026-03-01T00:00", "CC1"),
        order(8, "20.00", "2026-03-31T23:59"),
        order(7, "40.00", "2026-02-28T23:59"),  # the previous period
        OrderFact(2, 7, None, at("2026-03-02T00:00"), Decimal("80.00")),  # another account
    ]
    carts = [
        CartFact(1, 1, 7, "CC1", CartStatus.PENDING_APPROVAL, at("2026-03-03T00:00"), Decimal("1")),
        CartFact(2, 1, 8, None, CartStatus.PENDING_APPROVAL, at("2026-03-04T00:00"), Decimal("2")),
        CartFact(3, 1, 7, None, CartStatus.OPEN, at("2026-03-04T00:00"), Decimal("4")),
        CartFact(4, 1, 7, None, CartStatus.PENDING_APPROVAL, at("2026-04-01T00:00"), Decimal("8")),
    ]

    def of(target: BudgetTarget, excluding: int | None = None) -> Spend:
        return spend(
            target=target, bounds=MARCH, orders=orders, carts=carts, excluding_cart_id=excluding
        )

    account = BudgetTarget(scope=BudgetScope.ACCOUNT, account_id=1)
    assert of(account) == Spend(spent=Decimal("30.00"), pending=Decimal("3"))
    assert of(account, excluding=2) == Spend(spent=Decimal("30.00"), pending=Decimal("1"))
    member = BudgetTarget(scope=BudgetScope.MEMBERSHIP, account_id=1, contact_id=7)
    assert of(member) == Spend(spent=Decimal("10.00"), pending=Decimal("1"))
    centre = BudgetTarget(scope=BudgetScope.COST_CENTRE, account_id=1, cost_centre="CC1")
    assert of(centre) == Spend(spent=Decimal("10.00"), pending=Decimal("1"))


def applied(
    budget_id: int, action: OverBudgetAction, limit: str, spent: str, cart: str
) -> AppliedBudget:
    used = Spend(spent=Decimal(spent), pending=Decimal("0"))
    state = budget_state(limit=Decimal(limit), used=used, cart_total=Decimal(cart))
    return AppliedBudget(budget_id=budget_id, action=action, state=state)


BLOCK, APPROVE = OverBudgetAction.BLOCK, OverBudgetAction.REQUIRE_APPROVAL


def test_the_state_says_what_remains_and_whether_the_cart_goes_over() -> None:
    state = applied(1, BLOCK, "100.00", "60.00", "40.00").state
    assert (state.remaining, state.would_exceed) == (Decimal("40.00"), False)
    state = applied(1, BLOCK, "100.00", "60.00", "40.01").state
    assert (state.remaining, state.would_exceed) == (Decimal("40.00"), True)
    state = applied(1, BLOCK, "100.00", "120.00", "1.00").state
    assert state.remaining == Decimal("-20.00")


@pytest.mark.parametrize(
    ("budgets", "approved", "outcome"),
    [
        ([], False, BudgetOutcome.OK),
        ([applied(1, BLOCK, "100", "0", "100")], False, BudgetOutcome.OK),
        ([applied(1, BLOCK, "100", "0", "101")], False, BudgetOutcome.BLOCKED),
        ([applied(1, APPROVE, "100", "0", "101")], False, BudgetOutcome.NEEDS_APPROVAL),
        # an approver's yes lifts a REQUIRE_APPROVAL budget, never a BLOCK one
        ([applied(1, APPROVE, "100", "0", "101")], True, BudgetOutcome.OK),
        ([applied(1, BLOCK, "100", "0", "101")], True, BudgetOutcome.BLOCKED),
        # the strictest budget wins
        (
            [applied(1, APPROVE, "100", "0", "150"), applied(2, BLOCK, "100", "0", "150")],
            False,
            BudgetOutcome.BLOCKED,
        ),
        (
            [applied(1, BLOCK, "1000", "0", "150"), applied(2, APPROVE, "100", "0", "150")],
            False,
            BudgetOutcome.NEEDS_APPROVAL,
        ),
    ],
)
def test_the_strictest_budget_decides(
    budgets: list[AppliedBudget], approved: bool, outcome: BudgetOutcome
) -> None:
    decision = decide(budgets=budgets, approved=approved)
    assert decision.outcome is outcome
    assert [c.budget for c in decision.checks] == budgets


def test_a_blocked_decision_is_refused_with_the_tightest_budget() -> None:
    decision = decide(
        budgets=[applied(1, BLOCK, "500", "450", "60"), applied(2, BLOCK, "100", "80", "60")]
    )
    refusal = decision.refusal()
    assert refusal is not None
    assert (refusal.code, refusal.field) == (ErrorCode.OVER_BUDGET, ["cartId"])
    assert refusal.message == "The cart is over budget: 20 of 100 is left"
    assert decide(budgets=[applied(1, APPROVE, "1", "0", "5")]).refusal() is None
