"""The checkout decision: may this cart become an order, go to an approver, or neither?

Implements seed 003 (TOTECS "Customer Account Payment Types", "On Hold / Out Of Terms / Out Of
Credit Action") and seed 004 (CM10 "Maximum Approval Value", "No Approval Below Value", "Hold
Orders Created"), in the order issue #6 lists them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from domain.approvals import needs_approval
from domain.budgets import NO_BUDGETS, BudgetDecision, BudgetOutcome
from domain.enums import CreditAction, OrderStatus, PaymentType
from domain.errors import DomainError, ErrorCode
from domain.surcharge import NO_SURCHARGE


class CheckoutOutcome(Enum):
    REFUSED = "REFUSED"
    PENDING_APPROVAL = "PENDING_APPROVAL"
    ORDER = "ORDER"


@dataclass(frozen=True)
class AccountStanding:
    """What the account's ERP record says about ordering."""

    is_active: bool
    payment_types: tuple[PaymentType, ...]
    is_on_hold: bool
    on_hold_action: CreditAction
    is_out_of_terms: bool
    out_of_terms_action: CreditAction
    balance: Decimal
    balance_limit: Decimal | None
    out_of_credit_action: CreditAction


@dataclass(frozen=True)
class BuyerRights:
    """The shopper's membership flags that checkout reads. A worker acting for the account has
    none of a shopper's limits (`WORKER_RIGHTS`)."""

    cart_approver_id: int | None = None
    no_approval_below_value: Decimal | None = None
    maximum_approval_value: Decimal | None = None
    hold_orders_created: bool = False


WORKER_RIGHTS = BuyerRights()

# Payment types that take the money before the order is submitted, through a gateway.
PREPAID = frozenset({PaymentType.CREDIT_CARD, PaymentType.PAYPAL})


@dataclass(frozen=True)
class Notice:
    code: str
    message: str


@dataclass(frozen=True)
class CheckoutDecision:
    outcome: CheckoutOutcome
    errors: tuple[DomainError, ...] = ()
    warnings: tuple[Notice, ...] = ()
    # The types the buyer may still choose after the account's credit state is applied.
    allowed_payment_types: tuple[PaymentType, ...] = ()
    order_status: OrderStatus = OrderStatus.PLACED
    # Every budget the cart counts against, and what each said (shown by the preview).
    budgets: BudgetDecision = NO_BUDGETS


@dataclass
class _Draft:
    warnings: list[Notice] = field(default_factory=list)
    credit_card_only: bool = False


_STATES = (
    ("ON_HOLD", "on hold"),
    ("OUT_OF_TERMS", "out of terms"),
    ("OUT_OF_CREDIT", "outside its credit limit"),
)


def _credit_states(account: AccountStanding, total: Decimal) -> list[tuple[str, str, CreditAction]]:
    """The account's states that apply, each with its action."""
    over_limit = account.balance_limit is not None and (
        account.balance + total > account.balance_limit
    )
    applies = (
        (account.is_on_hold, account.on_hold_action),
        (account.is_out_of_terms, account.out_of_terms_action),
        (over_limit, account.out_of_credit_action),
    )
    return [
        (code, words, action)
        for (code, words), (active, action) in zip(_STATES, applies, strict=True)
        if active and action is not CreditAction.NO_ACTION
    ]


def decide_checkout(
    *,
    account: AccountStanding,
    buyer: BuyerRights,
    total: Decimal,
    payment_type: PaymentType | None,
    payment_reference: str | None,
    approved: bool = False,
    surcharge: Decimal = NO_SURCHARGE,
    budgets: BudgetDecision = NO_BUDGETS,
) -> CheckoutDecision:
    """Decide a checkout of a cart worth `total` (the goods), checking in this order:

    1. the account is active and has a payment type, and `payment_type` is one of them
       (seed 003: "must have at least one payment type enabled ... to create orders");
    2. on hold, out of terms, out of credit (balance + order total > balance limit, the order
       total being the goods plus the ship-from location's `surcharge`, issue #6): BLOCK
       refuses, WARN warns, WARN_CREDIT_CARD_ONLY warns and accepts only CREDIT_CARD;
    3. CM10 "Maximum Approval Value": a cart above it is neither checked out nor submitted
       ("the cart value is too high"), whether or not an approver is assigned;
    4. spending budgets (issue #16 §2, `budgets`, decided with `approved` already): over a
       BLOCK budget the cart is refused (OVER_BUDGET); over a REQUIRE_APPROVAL one it goes
       to approval like a cart above "No Approval Below Value";
       then CM10 "Cart Approver" / "No Approval Below Value": the cart goes to its approver
       (unless `approved`, when an approver is deciding);
    5. payment: CREDIT_CARD and PAYPAL need a reference. Checked for a cart going to approval
       too, since the approver's decision creates the order with the payment chosen here;
    6. otherwise an order, ON_HOLD with CM10 "Hold Orders Created". (A RUNNING_QUOTE checkout
       passes these rules and then requests a quote instead: `resolvers.checkout`.)

    `payment_type` None (a preview before the buyer chooses) skips the payment checks.
    """

    def refuse(*errors: DomainError) -> CheckoutDecision:
        return CheckoutDecision(
            outcome=CheckoutOutcome.REFUSED,
            errors=errors,
            warnings=tuple(draft.warnings),
            allowed_payment_types=allowed,
            budgets=budgets,
        )

    draft = _Draft()
    allowed = account.payment_types
    # 1
    if not account.is_active:
        return refuse(DomainError(ErrorCode.BLOCKED, "The account is disabled", field=["cartId"]))
    if not account.payment_types:
        return refuse(
            DomainError(
                ErrorCode.BLOCKED,
                "The account has no payment types, so it cannot order; contact us",
                field=["cartId"],
            )
        )
    if payment_type is not None and payment_type not in account.payment_types:
        return refuse(
            DomainError(
                ErrorCode.INVALID,
                f"The account cannot pay by {payment_type.value}",
                field=["paymentType"],
            )
        )
    # 2
    blocks: list[DomainError] = []
    for code, words, action in _credit_states(account, total + surcharge):
        if action is CreditAction.BLOCK:
            blocks.append(
                DomainError(
                    ErrorCode.BLOCKED, f"The account is {words}; ordering is blocked", field=None
                )
            )
        elif action is CreditAction.WARN:
            draft.warnings.append(Notice(code, f"The account is {words}"))
        else:
            draft.warnings.append(
                Notice(code, f"The account is {words}; only credit card payments are accepted")
            )
            draft.credit_card_only = True
    if draft.credit_card_only:
        allowed = tuple(t for t in allowed if t is PaymentType.CREDIT_CARD)
    if blocks:
        return refuse(*blocks)
    if draft.credit_card_only and payment_type not in (None, PaymentType.CREDIT_CARD):
        return refuse(
            DomainError(
                ErrorCode.NOT_PERMITTED,
                "Only credit card payments are accepted for this account",
                field=["paymentType"],
            )
        )
    # 3
    maximum = buyer.maximum_approval_value
    if maximum is not None and total > maximum:
        return refuse(
            DomainError(
                ErrorCode.LIMIT_EXCEEDED,
                f"The cart value is too high: {total} is above your limit of {maximum}",
                field=["cartId"],
            )
        )
    # 4
    over_budget = budgets.refusal()
    if over_budget is not None:
        return refuse(over_budget)
    outcome = CheckoutOutcome.ORDER
    over_limit = not approved and needs_approval(
        cart_approver_id=buyer.cart_approver_id,
        no_approval_below_value=buyer.no_approval_below_value,
        total=total,
    )
    if over_limit or budgets.outcome is BudgetOutcome.NEEDS_APPROVAL:
        outcome = CheckoutOutcome.PENDING_APPROVAL
    # 5
    if payment_type in PREPAID and not (payment_reference or "").strip():
        return refuse(
            DomainError(
                ErrorCode.REQUIRED,
                f"{payment_type.value} needs a payment reference (a gateway authorisation)",
                field=["paymentReference"],
            )
        )
    # 6
    return CheckoutDecision(
        outcome=outcome,
        warnings=tuple(draft.warnings),
        allowed_payment_types=allowed,
        order_status=OrderStatus.ON_HOLD if buyer.hold_orders_created else OrderStatus.PLACED,
        budgets=budgets,
    )


ORDER_NUMBER_PREFIX = "W"


def order_number(order_id: int) -> str:
    """The order's number on the web platform, as buyers and e-mails quote it."""
    return f"{ORDER_NUMBER_PREFIX}{order_id:07d}"


def order_id_of(number: str) -> int | None:
    """The order an `order_number` names, for the ERP's records that refer to a web order;
    None when it is not one."""
    digits = number.strip().upper().removeprefix(ORDER_NUMBER_PREFIX)
    return int(digits) if digits.isdigit() and len(digits) >= 7 else None
