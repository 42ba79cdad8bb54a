"""domain.checkout.decide_checkout: one case per outcome, in the order the rule checks."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from domain.checkout import (
    AccountStanding,
    BuyerRights,
    CheckoutOutcome,
    Notice,
    decide_checkout,
)
from domain.enums import CreditAction, OrderStatus, PaymentType
from domain.errors import ErrorCode

CC = PaymentType.CREDIT_CARD
ACCOUNT = PaymentType.ON_ACCOUNT
GOOD = AccountStanding(
    is_active=True,
    payment_types=(ACCOUNT, CC, PaymentType.RUNNING_QUOTE),
    is_on_hold=False,
    on_hold_action=CreditAction.NO_ACTION,
    is_out_of_terms=False,
    out_of_terms_action=CreditAction.NO_ACTION,
    balance=Decimal("900.00"),
    balance_limit=Decimal("1000.00"),
    out_of_credit_action=CreditAction.NO_ACTION,
)
FREE = BuyerRights()


def account(**changes: object) -> AccountStanding:
    return dataclasses.replace(GOOD, **changes)  # type: ignore[arg-type]


# (case, account, buyer, total, payment type, reference, outcome, errors as (code, field),
#  warnings codes)
CASES = [
    ("plain order", GOOD, FREE, "50.00", ACCOUNT, None, "ORDER", [], []),
    ("disabled account", account(is_active=False), FREE, "1", ACCOUNT, None, "REFUSED",
     [("BLOCKED", ["cartId"])], []),
    ("no payment types", account(payment_types=()), FREE, "1", ACCOUNT, None, "REFUSED",
     [("BLOCKED", ["cartId"])], []),
    ("type not the account's", GOOD, FREE, "1", PaymentType.PAYPAL, "x", "REFUSED",
     [("INVALID", ["paymentType"])], []),
    ("on hold, no action", account(is_on_hold=True), FREE, "1", ACCOUNT, None, "ORDER", [], []),
    ("on hold, block", account(is_on_hold=True, on_hold_action=CreditAction.BLOCK), FREE, "1",
     ACCOUNT, None, "REFUSED", [("BLOCKED", None)], []),
    ("out of terms, warn", account(is_out_of_terms=True, out_of_terms_action=CreditAction.WARN),
     FREE, "1", ACCOUNT, None, "ORDER", [], ["OUT_OF_TERMS"]),
    ("out of credit, card only, pays on account",
     account(out_of_credit_action=CreditAction.WARN_CREDIT_CARD_ONLY), FREE, "100.01", ACCOUNT,
     None, "REFUSED", [("NOT_PERMITTED", ["paymentType"])], ["OUT_OF_CREDIT"]),
    ("out of credit, card only, pays by card",
     account(out_of_credit_action=CreditAction.WARN_CREDIT_CARD_ONLY), FREE, "100.01", CC,
     "auth-1", "ORDER", [], ["OUT_OF_CREDIT"]),
    ("exactly at the credit limit is not out of credit",
     account(out_of_credit_action=CreditAction.BLOCK), FREE, "100.00", ACCOUNT, None, "ORDER",
     [], []),
    ("two states block: both reported",
     account(is_on_hold=True, on_hold_action=CreditAction.BLOCK,
             out_of_credit_action=CreditAction.BLOCK), FREE, "500", ACCOUNT, None, "REFUSED",
     [("BLOCKED", None), ("BLOCKED", None)], []),
    ("above the maximum approval value, with an approver",
     GOOD, BuyerRights(cart_approver_id=7, maximum_approval_value=Decimal("50")), "50.01",
     ACCOUNT, None, "REFUSED", [("LIMIT_EXCEEDED", ["cartId"])], []),
    ("above the maximum approval value, without an approver",
     GOOD, BuyerRights(maximum_approval_value=Decimal("50")), "50.01", ACCOUNT, None, "REFUSED",
     [("LIMIT_EXCEEDED", ["cartId"])], []),
    ("an approver and no threshold: approval",
     GOOD, BuyerRights(cart_approver_id=7), "1", ACCOUNT, None, "PENDING_APPROVAL", [], []),
    ("at the no-approval-below value: approval",
     GOOD, BuyerRights(cart_approver_id=7, no_approval_below_value=Decimal("20")), "20.00",
     ACCOUNT, None, "PENDING_APPROVAL", [], []),
    ("below the no-approval-below value: straight to an order",
     GOOD, BuyerRights(cart_approver_id=7, no_approval_below_value=Decimal("20")), "19.99",
     ACCOUNT, None, "ORDER", [], []),
    ("card without a reference", GOOD, FREE, "1", CC, " ", "REFUSED",
     [("REQUIRED", ["paymentReference"])], []),
    ("card without a reference, going to approval", GOOD, BuyerRights(cart_approver_id=7), "1",
     CC, None, "REFUSED", [("REQUIRED", ["paymentReference"])], []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("standing", "buyer", "total", "payment_type", "reference", "outcome", "errors", "warnings"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_decide_checkout(
    standing: AccountStanding,
    buyer: BuyerRights,
    total: str,
    payment_type: PaymentType,
    reference: str | None,
    outcome: str,
    errors: list[tuple[str, list[str] | None]],
    warnings: list[str],
) -> None:
    decision = decide_checkout(
        account=standing,
        buyer=buyer,
        total=Decimal(total),
        payment_type=payment_type,
        payment_reference=reference,
    )

    assert decision.outcome is CheckoutOutcome(outcome)
    assert [(e.code, e.field) for e in decision.errors] == [
        (ErrorCode(code), field) for code, field in errors
    ]
    assert [w.code for w in decision.warnings] == warnings


def test_the_credit_card_only_action_narrows_the_payment_types_a_preview_offers() -> None:
    standing = account(is_on_hold=True, on_hold_action=CreditAction.WARN_CREDIT_CARD_ONLY)

    decision = decide_checkout(
        account=standing, buyer=FREE, total=Decimal("1"), payment_type=None, payment_reference=None
    )

    assert decision.outcome is CheckoutOutcome.ORDER
    assert decision.allowed_payment_types == (CC,)
    assert decision.warnings == (
        Notice("ON_HOLD", "The account is on hold; only credit card payments are accepted"),
    )


@pytest.mark.parametrize(
    ("payment_type", "hold", "status"),
    [
        (ACCOUNT, False, OrderStatus.PLACED),
        (ACCOUNT, True, OrderStatus.ON_HOLD),
        # A running quote passes the same rules; the resolver then requests a quote.
        (PaymentType.RUNNING_QUOTE, False, OrderStatus.PLACED),
    ],
)
def test_the_order_is_held_or_placed(
    payment_type: PaymentType, hold: bool, status: OrderStatus
) -> None:
    decision = decide_checkout(
        account=GOOD,
        buyer=BuyerRights(hold_orders_created=hold),
        total=Decimal("1"),
        payment_type=payment_type,
        payment_reference=None,
    )

    assert (decision.outcome, decision.order_status) == (CheckoutOutcome.ORDER, status)


def test_an_approver_deciding_skips_the_routing_but_not_the_limits() -> None:
    buyer = BuyerRights(cart_approver_id=7, maximum_approval_value=Decimal("10"))

    approved = decide_checkout(
        account=GOOD,
        buyer=buyer,
        total=Decimal("10"),
        payment_type=ACCOUNT,
        payment_reference=None,
        approved=True,
    )
    too_high = decide_checkout(
        account=GOOD,
        buyer=buyer,
        total=Decimal("10.01"),
        payment_type=ACCOUNT,
        payment_reference=None,
        approved=True,
    )

    assert approved.outcome is CheckoutOutcome.ORDER
    assert too_high.outcome is CheckoutOutcome.REFUSED


@pytest.mark.parametrize(
    ("total", "surcharge", "outcome"),
    [("100.00", "0.00", "ORDER"), ("90.00", "10.00", "ORDER"), ("90.00", "10.01", "REFUSED")],
    ids=["goods at the limit", "goods and surcharge at the limit", "the surcharge goes over"],
)
def test_the_credit_limit_counts_the_surcharge(total: str, surcharge: str, outcome: str) -> None:
    decision = decide_checkout(
        account=account(out_of_credit_action=CreditAction.BLOCK),
        buyer=FREE,
        total=Decimal(total),
        surcharge=Decimal(surcharge),
        payment_type=ACCOUNT,
        payment_reference=None,
    )

    assert decision.outcome is CheckoutOutcome(outcome)


def test_the_approval_threshold_looks_at_the_goods_not_the_surcharge() -> None:
    decision = decide_checkout(
        account=GOOD,
        buyer=BuyerRights(cart_approver_id=7, no_approval_below_value=Decimal("20")),
        total=Decimal("19.99"),
        surcharge=Decimal("5.00"),
        payment_type=ACCOUNT,
        payment_reference=None,
    )

    assert decision.outcome is CheckoutOutcome.ORDER


def test_budgets_refuse_or_route_the_cart_after_the_buyers_limits() -> None:
    # given budgets that the 50.00 cart would go over (issue #16 §2)
    from domain.budgets import AppliedBudget, BudgetState, OverBudgetAction, decide

    over = BudgetState(
        limit=Decimal("40"),
        spent=Decimal("0"),
        pending=Decimal("0"),
        remaining=Decimal("40"),
        would_exceed=True,
    )

    def checkout(action: OverBudgetAction, *, approved: bool) -> tuple[str, list[str]]:
        budgets = decide(
            budgets=[AppliedBudget(budget_id=1, action=action, state=over)], approved=approved
        )
        decision = decide_checkout(
            account=GOOD,
            buyer=FREE,
            total=Decimal("50.00"),
            payment_type=ACCOUNT,
            payment_reference=None,
            approved=approved,
            budgets=budgets,
        )
        assert decision.budgets is budgets
        return decision.outcome.value, [e.code.value for e in decision.errors]

    # then a BLOCK budget refuses, even an approved cart; a REQUIRE_APPROVAL one sends the cart
    # to approval (with no approver of the buyer's own) until an approver said yes
    assert checkout(OverBudgetAction.BLOCK, approved=False) == ("REFUSED", ["OVER_BUDGET"])
    assert checkout(OverBudgetAction.BLOCK, approved=True) == ("REFUSED", ["OVER_BUDGET"])
    assert checkout(OverBudgetAction.REQUIRE_APPROVAL, approved=False) == ("PENDING_APPROVAL", [])
    assert checkout(OverBudgetAction.REQUIRE_APPROVAL, approved=True) == ("ORDER", [])
