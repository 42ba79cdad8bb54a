"""Checkout, approval and rejection of carts, and the orders they create.

The decision itself is `domain.checkout.decide_checkout`; this module gathers its facts and
writes the outcome. A checkout reads and decides before it takes the writer turn (issue #17:
the turn is for writes alone, `core.unit_of_work.begin_writing`), then claims the cart with a
conditional update that holds only while the cart is open and unchanged since it was read; a
cart changed in between (another checkout, a line) is planned once more inside the turn, where
nobody else writes, and gets that plan's answer (the order of its current lines, the first
answer of its idempotency key, or "checked out").
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col

from core.context import Context
from core.unit_of_work import begin_writing
from domain.approvals import approval_refusals, emails_approver
from domain.checkout import (
    WORKER_RIGHTS,
    AccountStanding,
    BuyerRights,
    CheckoutDecision,
    CheckoutOutcome,
    Notice,
    decide_checkout,
    order_number,
)
from domain.enums import CartEventKind, CartStatus, ExportKind, OrderStatus, PaymentType
from domain.errors import DomainError, ErrorCode, raise_if_any
from domain.exports import account_travels_with_order
from domain.payment_cards import check_saved_card_payment
from domain.surcharge import NO_SURCHARGE, location_surcharge
from domain.system_email import SystemEmail
from domain.validation import MAX_NOTE_LENGTH, check_length, check_required
from domain.webhooks import WebhookEventKind
from loaders.accounts import AccountByIdLoader, ContactByIdLoader
from loaders.carts import OrderByIdLoader
from loaders.pricing import ProductByIdLoader
from loaders.quotes import QuoteByIdLoader, QuoteByOrderCartIdLoader
from loaders.wallet import ShippingAccountByIdLoader
from models import (
    Account,
    AccountMembership,
    Cart,
    CartLine,
    CheckoutAttempt,
    ErpExport,
    Location,
    Order,
    OrderLine,
    Product,
    Quote,
)
from models.column_limits import value_errors
from resolvers import quotes, webhooks
from resolvers.access import may_manage
from resolvers.addresses import remember_ship_to
from resolvers.budgets import applicable_budgets, budget_decision
from resolvers.carts import (
    approver_rights,
    approver_sees,
    cart_lines,
    check_places_orders,
    locked,
    membership_of,
    owned_cart,
    readable_cart,
    record_event,
    require_open,
    ship_to_of,
    shipping_method_of,
)
from resolvers.live_events import order_changed
from resolvers.locations import primary_location
from resolvers.mail import queue_email
from resolvers.orders import readable_order
from resolvers.platform_settings import load_section
from resolvers.row_locks import lock_row
from resolvers.wallet import readable_credit_card
from resolvers.webhooks import cart_data, order_data, queue_export

DIRECT_DEPOSIT_SECTION = "direct_deposit"

# A checkout's own statements, built once and their values bound per call: building a statement
# and its cache key cost about as much as running it (see `core.authentication`).
_CLAIM_GUARD = (
    col(Cart.id) == bindparam("cart_id"),
    col(Cart.status) == CartStatus.OPEN,
    col(Cart.updated_at) == bindparam("read_updated_at"),
)
# A RUNNING_QUOTE checkout claims the cart without recording choices: it stays open.
_CLAIM = (
    update(Cart)
    .where(*_CLAIM_GUARD)
    .values(updated_at=bindparam("claimed_at"))
    .execution_options(synchronize_session=False)
)
_CLAIM_WITH_CHOICES = (
    update(Cart)
    .where(*_CLAIM_GUARD)
    .values(
        updated_at=bindparam("claimed_at"),
        payment_type=bindparam("chosen_payment_type"),
        payment_reference=bindparam("chosen_payment_reference"),
        shipping_account_id=bindparam("chosen_shipping_account_id"),
        status=bindparam("claimed_status"),
    )
    .execution_options(synchronize_session=False)
)
# The status a cart is claimed with: the one its planned outcome gives it (`_write_checkout`).
_CLAIMED_STATUS = {
    CheckoutOutcome.ORDER: CartStatus.CHECKED_OUT,
    CheckoutOutcome.PENDING_APPROVAL: CartStatus.PENDING_APPROVAL,
}
_LAST_ACCOUNT_EXPORT = select(func.max(col(ErpExport.created_at))).where(
    col(ErpExport.account_id) == bindparam("account_id"),
    col(ErpExport.kind) == ExportKind.ACCOUNT,
)


class DirectDepositSettings(BaseModel):
    """Settings section `direct_deposit` (seed 003: "the details of the bank account configured
    in the project display to the user to advise them on where to send the money")."""

    account_name: str = ""
    bank_name: str = ""
    bsb: str = ""
    account_number: str = ""
    instructions: str = "Quote the order number as the payment reference."


@dataclass(frozen=True)
class CheckoutResult:
    cart: Cart
    order: Order | None
    warnings: tuple[Notice, ...] = ()
    bank_details: DirectDepositSettings | None = None
    # RUNNING_QUOTE: the quote the checkout requested instead of an order.
    quote: Quote | None = None


@dataclass(frozen=True)
class OrderAmounts:
    """What the cart's order would charge: the goods and the surcharge of the location it ships
    from (issue #6: "The order ships from the account's primary location and adds that
    location's surcharge")."""

    ship_from: Location | None
    subtotal: Decimal
    surcharge: Decimal

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.surcharge


async def order_amounts(context: Context, cart: Cart) -> OrderAmounts:
    """The amounts as they stand now; no primary location means no ship-from and no surcharge."""
    location = await primary_location(context, cart.account_id)
    surcharge = (
        location_surcharge(
            kind=location.surcharge_kind, value=location.surcharge_value, goods_total=cart.total
        )
        if location is not None
        else NO_SURCHARGE
    )
    return OrderAmounts(ship_from=location, subtotal=cart.total, surcharge=surcharge)


def standing(account: Account) -> AccountStanding:
    return AccountStanding(
        is_active=account.is_active,
        payment_types=tuple(PaymentType(name) for name in account.payment_types),
        is_on_hold=account.is_on_hold,
        on_hold_action=account.on_hold_action,
        is_out_of_terms=account.is_out_of_terms,
        out_of_terms_action=account.out_of_terms_action,
        balance=account.balance,
        balance_limit=account.balance_limit,
        out_of_credit_action=account.out_of_credit_action,
    )


def buyer_rights(membership: AccountMembership | None) -> BuyerRights:
    if membership is None:
        return WORKER_RIGHTS
    return BuyerRights(
        cart_approver_id=membership.cart_approver_id,
        no_approval_below_value=membership.no_approval_below_value,
        maximum_approval_value=membership.maximum_approval_value,
        hold_orders_created=membership.hold_orders_created,
    )


async def decide(
    context: Context,
    cart: Cart,
    *,
    payment_type: PaymentType | None,
    payment_reference: str | None,
    approved: bool = False,
    lock: bool = False,
) -> CheckoutDecision:
    """The checkout decision for the cart's shopper (not the viewer: an approver decides with
    the shopper's limits). With `lock` (a checkout or approval about to write), the cart's
    budgets are locked until the transaction ends (`resolvers.budgets.budget_decision`).

    A worker's cart has no approver (approvers are contacts), so a REQUIRE_APPROVAL budget
    lets the worker through as an approver would; a BLOCK budget stops workers too."""
    account = await context.loader(AccountByIdLoader).load(cart.account_id)
    membership = await membership_of(context, cart.contact_id, cart.account_id)
    amounts = await order_amounts(context, cart)
    budgets = await budget_decision(
        context,
        cart,
        cart_total=amounts.subtotal,
        approved=approved or membership is None,
        lock=lock,
    )
    return decide_checkout(
        budgets=budgets,
        account=standing(account),
        buyer=buyer_rights(membership),
        total=amounts.subtotal,
        surcharge=amounts.surcharge,
        payment_type=payment_type,
        payment_reference=payment_reference,
        approved=approved,
    )


@dataclass(frozen=True)
class CheckoutChoices:
    """What the buyer chooses at checkout, as the client sent it."""

    payment_type: PaymentType
    payment_reference: str | None = None
    credit_card_id: int | None = None
    shipping_account_id: int | None = None


def _request_hash(cart_id: int | None, choices: CheckoutChoices) -> str:
    body = json.dumps(
        [
            cart_id,
            choices.payment_type.value,
            choices.payment_reference,
            choices.credit_card_id,
            choices.shipping_account_id,
        ]
    )
    return hashlib.sha256(body.encode()).hexdigest()


async def _payment_reference(context: Context, cart: Cart, choices: CheckoutChoices) -> str | None:
    """The reference the order records: the one given, or the token of the saved card of the
    cart's account chosen instead (never a card number; the vault keeps none)."""
    if choices.credit_card_id is None:
        return choices.payment_reference
    card = await readable_credit_card(context, choices.credit_card_id)
    if card is None or card.account_id != cart.account_id:
        raise DomainError(
            ErrorCode.NOT_FOUND, "No such saved card of the account", field=["creditCardId"]
        )
    raise_if_any(
        check_saved_card_payment(
            payment_type=choices.payment_type,
            reference_given=choices.payment_reference is not None,
            expiry_month=card.expiry_month,
            expiry_year=card.expiry_year,
            today=context.now.date(),
        )
    )
    return str(card.token)


async def _shipping_account_id(
    context: Context, cart: Cart, shipping_account_id: int | None
) -> int | None:
    """Seed 002: one of the cart's account's shipping accounts, or none."""
    if shipping_account_id is None:
        return None
    shipping = await context.loader(ShippingAccountByIdLoader).load(shipping_account_id)
    if shipping is None or shipping.account_id != cart.account_id:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            "No such shipping account of the account",
            field=["shippingAccountId"],
        )
    return shipping_account_id


SHIPPING_ACCOUNT_FIELDS = ("carrier", "account_number", "name")


async def shipping_account_of(
    context: Context, shipping_account_id: int | None
) -> dict[str, str] | None:
    """The cart's shipping account as the order keeps it."""
    if shipping_account_id is None:
        return None
    shipping = await context.loader(ShippingAccountByIdLoader).load(shipping_account_id)
    if shipping is None:
        return None
    return {name: getattr(shipping, name) for name in SHIPPING_ACCOUNT_FIELDS}


def _principal(context: Context) -> str:
    viewer = context.viewer
    if viewer.contact_id is not None:
        return f"contact:{viewer.contact_id}"
    return f"worker:{viewer.worker_id}"


async def checkout_result(
    context: Context,
    cart: Cart,
    order: Order | None,
    warnings: tuple[Notice, ...] = (),
    quote: Quote | None = None,
) -> CheckoutResult:
    bank_details = await bank_details_for(context, order.payment_type) if order else None
    return CheckoutResult(
        cart=cart, order=order, warnings=warnings, bank_details=bank_details, quote=quote
    )


def choice_errors(choices: CheckoutChoices, idempotency_key: str | None) -> list[DomainError]:
    """The checkout's texts against their columns, before anything is looked up."""
    errors = value_errors(
        Cart.payment_reference, choices.payment_reference, field=["paymentReference"]
    )
    if idempotency_key is not None:
        key = CheckoutAttempt.idempotency_key
        errors += value_errors(key, idempotency_key, field=["idempotencyKey"])
    return errors


@dataclass(frozen=True)
class OrderFacts:
    """What an order copies from its cart's account, lines, products and addresses: read before
    the writer turn at checkout, so the turn only writes."""

    account: Account
    amounts: OrderAmounts
    lines: list[CartLine]
    products: list[Product]
    ship_to: dict[str, Any] | None
    shipping_account: dict[str, str] | None


async def order_facts(
    context: Context, cart: Cart, *, lines: list[CartLine], shipping_account_id: int | None
) -> OrderFacts:
    account = await context.loader(AccountByIdLoader).load(cart.account_id)
    products = await context.loader(ProductByIdLoader).load_many(
        [line.product_id for line in lines]
    )
    return OrderFacts(
        account=account,
        amounts=await order_amounts(context, cart),
        lines=lines,
        products=products,
        ship_to=await ship_to_of(context, cart),
        shipping_account=await shipping_account_of(context, shipping_account_id),
    )


@dataclass(frozen=True)
class PlannedCheckout:
    """A checkout read and decided: the cart as read, what the buyer chose, and, for an order,
    what the order copies."""

    cart: Cart
    payment_reference: str | None
    shipping_account_id: int | None
    facts: OrderFacts | None
    outcome: CheckoutOutcome


async def checkout_cart(
    context: Context,
    cart_id: int | None,
    choices: CheckoutChoices,
    *,
    idempotency_key: str | None,
) -> CheckoutResult:
    """Turn the cart into an order, or submit it for approval; with RUNNING_QUOTE (seed 003:
    "viewed as a quote"), request a quote of the cart instead, once the checkout rules let it
    through (the approval rules apply when the quote is ordered). The same idempotency key with
    the same request gives back the first result; with another request it is refused.

    Planned before the writer turn, written in it: see the module's docstring."""
    raise_if_any(choice_errors(choices, idempotency_key))
    check_places_orders(context)
    request_hash = _request_hash(cart_id, choices)
    planned = await _plan(context, cart_id, choices, idempotency_key, request_hash, lock=False)
    if isinstance(planned, CheckoutResult):
        return planned
    await begin_writing(context)
    if not await _claim(context, planned, choices):
        # Changed since it was read: forget everything read, as a writer starting afresh would.
        context.session.expire_all()
        context.clear_loaders()
        planned = await _plan(context, cart_id, choices, idempotency_key, request_hash, lock=True)
        if isinstance(planned, CheckoutResult):
            return planned
    return await _write_checkout(context, planned, choices, idempotency_key, request_hash)


async def _plan(
    context: Context,
    cart_id: int | None,
    choices: CheckoutChoices,
    idempotency_key: str | None,
    request_hash: str,
    *,
    lock: bool,
) -> CheckoutResult | PlannedCheckout:
    """Everything a checkout reads and every refusal, in the order the rules are checked; the
    first answer when the key was used for this request already. With `lock` (inside the turn)
    the cart's row is locked and read afresh first."""
    cart = await owned_cart(context, cart_id, lock=lock)
    # The key after the cart, so that a repeat which finds the cart checked out finds the key
    # the first request stored with it.
    if idempotency_key:
        earlier = await _earlier_attempt(context, cart, idempotency_key, request_hash)
        if earlier is not None:
            return earlier
    require_open(cart)
    assert cart.id is not None
    # What the rules below read of the cart's account, shopper and quote, asked for at once:
    # the reads then run one after another in one queue run (`core.request_database`) instead
    # of one event-loop round trip each; the rules still run, and refuse, in their order.
    lines, *_ = await asyncio.gather(
        cart_lines(context, cart),
        context.loader(QuoteByOrderCartIdLoader).load(cart.id),
        primary_location(context, cart.account_id),
        applicable_budgets(context, cart),
        ship_to_of(context, cart),
    )
    if not lines:
        raise DomainError(ErrorCode.INVALID, "The cart is empty", field=["cartId"])
    await quotes.check_orderable(context, cart, field="cartId")
    payment_reference = await _payment_reference(context, cart, choices)
    shipping_account_id = await _shipping_account_id(context, cart, choices.shipping_account_id)
    decision = await decide(
        context, cart, payment_type=choices.payment_type, payment_reference=payment_reference
    )
    raise_if_any(list(decision.errors))
    orders = (
        decision.outcome is CheckoutOutcome.ORDER
        and choices.payment_type is not PaymentType.RUNNING_QUOTE
    )
    facts = (
        await order_facts(context, cart, lines=lines, shipping_account_id=shipping_account_id)
        if orders
        else None
    )
    return PlannedCheckout(cart, payment_reference, shipping_account_id, facts, decision.outcome)


async def _earlier_attempt(
    context: Context, cart: Cart, idempotency_key: str, request_hash: str
) -> CheckoutResult | None:
    """The first answer given under this key, or None when the key is new."""
    attempt = await context.db.scalar(
        select(CheckoutAttempt).where(
            col(CheckoutAttempt.principal) == _principal(context),
            col(CheckoutAttempt.idempotency_key) == idempotency_key,
        )
    )
    if attempt is None:
        return None
    if attempt.request_hash != request_hash:
        raise DomainError(
            ErrorCode.INVALID,
            "This idempotency key was used for a different checkout",
            field=["idempotencyKey"],
        )
    # Same request, so same cart.
    order = (
        await context.loader(OrderByIdLoader).load(attempt.order_id)
        if attempt.order_id is not None
        else None
    )
    quote = (
        await context.loader(QuoteByIdLoader).load(attempt.quote_id)
        if attempt.quote_id is not None
        else None
    )
    warnings = tuple(Notice(**notice) for notice in attempt.warnings)
    return await checkout_result(context, cart, order, warnings, quote)


async def _claim(context: Context, planned: PlannedCheckout, choices: CheckoutChoices) -> bool:
    """The writer's guard: the cart is still open and unchanged since it was read (every change
    of a cart or of its lines moves its `updated_at`), claimed by moving `updated_at` to now and
    recording the buyer's choices and the status the planned outcome gives it in the same
    statement (the write changes the status once more only when the decision in the turn
    differs, and a refusal there rolls the claim back). On PostgreSQL the update also locks the
    row until the commit, and a concurrent claim waits for it and then finds the cart changed."""
    cart = planned.cart
    values: dict[str, Any] = {"updated_at": context.now}
    statement = _CLAIM
    if choices.payment_type is not PaymentType.RUNNING_QUOTE:
        values |= {
            "payment_type": choices.payment_type,
            "payment_reference": planned.payment_reference,
            "shipping_account_id": planned.shipping_account_id,
            "status": _CLAIMED_STATUS[planned.outcome],
        }
        statement = _CLAIM_WITH_CHOICES
    claimed = await context.db.execute(
        statement,
        {
            "cart_id": cart.id,
            "read_updated_at": cart.updated_at,
            "claimed_at": context.now,
            "chosen_payment_type": values.get("payment_type"),
            "chosen_payment_reference": values.get("payment_reference"),
            "chosen_shipping_account_id": values.get("shipping_account_id"),
            "claimed_status": values.get("status"),
        },
    )
    if getattr(claimed, "rowcount", 0) != 1:
        return False
    for name, value in values.items():
        set_committed_value(cart, name, value)
    return True


async def _write_checkout(
    context: Context,
    planned: PlannedCheckout,
    choices: CheckoutChoices,
    idempotency_key: str | None,
    request_hash: str,
) -> CheckoutResult:
    """The planned checkout's writes, in the turn. The decision is made again with the cart's
    budgets locked (their spend may have moved since the plan); the rest it reads was loaded
    by the plan."""
    cart = planned.cart
    decision = await decide(
        context,
        cart,
        payment_type=choices.payment_type,
        payment_reference=planned.payment_reference,
        lock=True,
    )
    raise_if_any(list(decision.errors))
    order = quote = None
    if choices.payment_type is PaymentType.RUNNING_QUOTE:
        # The cart stays open, as a cart a quote is requested from does.
        quote = await quotes.request_quote_from(context, cart, note=None)
    else:
        cart.payment_type = choices.payment_type
        cart.payment_reference = planned.payment_reference
        cart.shipping_account_id = planned.shipping_account_id
        if decision.outcome is CheckoutOutcome.PENDING_APPROVAL:
            cart.status = CartStatus.PENDING_APPROVAL
            record_event(context, cart, CartEventKind.SUBMITTED_FOR_APPROVAL)
            await webhooks.record_event(context, WebhookEventKind.CART_SUBMITTED, cart_data(cart))
            await _email_approver(context, cart)
        else:
            order = await place_order(
                context, cart, decision, kind=CartEventKind.CHECKED_OUT, facts=planned.facts
            )
    if idempotency_key:
        assert cart.id is not None
        context.session.add(
            CheckoutAttempt(
                principal=_principal(context),
                idempotency_key=idempotency_key,
                request_hash=request_hash,
                cart_id=cart.id,
                order_id=order.id if order else None,
                quote_id=quote.id if quote else None,
                warnings=[{"code": w.code, "message": w.message} for w in decision.warnings],
                created_at=context.now,
            )
        )
    return await checkout_result(context, cart, order, decision.warnings, quote)


async def place_order(
    context: Context,
    cart: Cart,
    decision: CheckoutDecision,
    *,
    kind: CartEventKind,
    comment: str | None = None,
    facts: OrderFacts | None = None,
) -> Order:
    """Freeze the cart into an order, close the cart, and queue the order for the ERP; `facts`
    when the caller read them already (a checkout, before its turn)."""
    assert cart.id is not None and cart.payment_type is not None
    if decision.outcome is not CheckoutOutcome.ORDER:
        raise ValueError(f"cannot place an order for a {decision.outcome} decision")
    if facts is None:
        facts = await order_facts(
            context,
            cart,
            lines=await cart_lines(context, cart),
            shipping_account_id=cart.shipping_account_id,
        )
    account, amounts = facts.account, facts.amounts
    on_account = cart.payment_type is PaymentType.ON_ACCOUNT
    order = Order(
        account_id=cart.account_id,
        cart_id=cart.id,
        created_by_contact_id=cart.contact_id,
        created_by_worker_id=cart.worker_id,
        approved_by_contact_id=(
            context.viewer.contact_id if kind is CartEventKind.APPROVED else None
        ),
        status=decision.order_status,
        payment_type=cart.payment_type,
        payment_reference=cart.payment_reference,
        payment_terms_kind=account.payment_terms_kind if on_account else None,
        payment_terms_value=account.payment_terms_value if on_account else None,
        po_number=cart.po_number,
        cost_centre=cart.cost_centre,
        notes=cart.notes,
        date_required=cart.date_required,
        ship_to=facts.ship_to,
        shipping_method=shipping_method_of(cart, account),
        shipping_account=facts.shipping_account,
        ship_from_location_id=amounts.ship_from.id if amounts.ship_from else None,
        subtotal=amounts.subtotal,
        surcharge=amounts.surcharge,
        total=amounts.total,
        created_at=context.now,
    )
    context.session.add(order)
    await context.session.flush()
    assert order.id is not None
    order_changed(context, order)
    context.session.add_all(
        OrderLine(
            order_id=order.id,
            product_id=line.product_id,
            sku=product.sku,
            product_name=product.name,
            quantity=line.quantity,
            unit_price=line.unit_price,
            line_total=line.line_total,
        )
        for line, product in zip(facts.lines, facts.products, strict=True)
    )
    cart.status = CartStatus.CHECKED_OUT
    record_event(context, cart, kind, comment=comment, order_id=order.id)
    await webhooks.record_event(context, WebhookEventKind.ORDER_PLACED, order_data(order))
    if cart.manual_ship_to is not None:
        await remember_ship_to(context, account, cart.manual_ship_to)
    # CM10 "Hold Orders Created": a held order reaches the ERP when a worker releases it.
    if order.status is not OrderStatus.ON_HOLD:
        await _queue_exports(context, account, order)
    # After the order's exports, so the ERP imports the order before the quote that names it.
    await quotes.record_order(context, cart, order)
    return order


async def release_order(context: Context, order_id: int | None) -> Order:
    """CM10 "The orders stay on hold until they are released": a worker who manages the
    account releases a held order, which then goes to the ERP (with its account when that
    travels). The row is locked, so two releases at once release it once."""
    order = await readable_order(context, order_id)
    account = await context.loader(AccountByIdLoader).load(order.account_id) if order else None
    if order is None or account is None or not may_manage(context.viewer, account):
        raise DomainError(ErrorCode.NOT_FOUND, "No such order", field=["orderId"])
    await lock_row(context, Order, order.id)
    if order.status is not OrderStatus.ON_HOLD:
        raise DomainError(
            ErrorCode.INVALID,
            "The order is not on hold (it may have been released already)",
            field=["orderId"],
        )
    order.status = OrderStatus.PLACED
    order.released_at = context.now
    order.released_by_worker_id = context.viewer.worker_id
    order_changed(context, order)
    await _queue_exports(context, account, order)
    return order


async def _queue_exports(context: Context, account: Account, order: Order) -> None:
    """The order for the ERP, preceded by its account when the account travels with it."""
    last_exported_at = (
        await context.db.execute(_LAST_ACCOUNT_EXPORT, {"account_id": account.id})
    ).scalar()
    assert account.id is not None
    exports = [ExportKind.ORDER]
    if account_travels_with_order(
        source=account.source,
        created_at=account.created_at,
        updated_at=account.updated_at,
        last_synced_at=account.last_synced_at,
        last_exported_at=last_exported_at,
    ):
        # Ids, not timestamps, order the queue: the account is imported before its order.
        exports.insert(0, ExportKind.ACCOUNT)
    for kind in exports:
        await queue_export(
            context,
            ErpExport(kind=kind, account_id=account.id, order_id=order.id, created_at=context.now),
        )


async def _pending_cart_to_decide(context: Context, cart_id: int | None) -> Cart:
    cart = await readable_cart(context, cart_id)
    if cart is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such cart", field=["cartId"])
    await locked(context, cart)
    if cart.status is not CartStatus.PENDING_APPROVAL:
        raise DomainError(
            ErrorCode.INVALID,
            "The cart is not waiting for approval (it may have been decided already)",
            field=["cartId"],
        )
    return cart


async def approve_cart(
    context: Context, cart_id: int | None, comment: str | None
) -> tuple[Cart, Order]:
    """An approver accepts a pending cart: the checkout rules are checked again, now, and the
    order is created for the shopper."""
    raise_if_any(check_length("comment", comment, MAX_NOTE_LENGTH))
    cart = await _pending_cart_to_decide(context, cart_id)
    assert cart.contact_id is not None
    mine = await membership_of(context, context.viewer.contact_id, cart.account_id)
    if mine is not None:
        raise_if_any(
            approval_refusals(
                approver=approver_rights(mine), shopper_id=cart.contact_id, total=cart.total
            )
        )
    if mine is None or await approver_sees(context, cart) is None:
        raise DomainError(
            ErrorCode.NOT_PERMITTED, "You do not approve this shopper's carts", field=["cartId"]
        )
    decision = await decide(
        context,
        cart,
        payment_type=cart.payment_type,
        payment_reference=cart.payment_reference,
        approved=True,
        lock=True,
    )
    raise_if_any(list(decision.errors))
    order = await place_order(context, cart, decision, kind=CartEventKind.APPROVED, comment=comment)
    assert order.id is not None
    await webhooks.record_event(context, WebhookEventKind.CART_APPROVED, cart_data(cart))
    await _email_shopper(
        context,
        cart,
        SystemEmail.CART_APPROVED,
        order_number=order_number(order.id),
        comment=(comment or "").strip(),
    )
    return cart, order


async def reject_cart(context: Context, cart_id: int | None, reason: str) -> Cart:
    """An approver returns a pending cart to its shopper, with the reason in its history."""
    raise_if_any(check_required("reason", reason) + check_length("reason", reason, MAX_NOTE_LENGTH))
    cart = await _pending_cart_to_decide(context, cart_id)
    if await approver_sees(context, cart) is None:
        raise DomainError(
            ErrorCode.NOT_PERMITTED, "You do not approve this shopper's carts", field=["cartId"]
        )
    cart.status = CartStatus.OPEN
    cart.payment_type = None
    cart.payment_reference = None
    cart.shipping_account_id = None
    record_event(context, cart, CartEventKind.REJECTED, comment=reason.strip())
    await webhooks.record_event(context, WebhookEventKind.CART_REJECTED, cart_data(cart))
    await _email_shopper(context, cart, SystemEmail.CART_REJECTED, reason=reason.strip())
    return cart


async def _cart_variables(context: Context, cart: Cart) -> dict[str, str]:
    """What the approval e-mails say about the cart."""
    account = await context.loader(AccountByIdLoader).load(cart.account_id)
    amounts = await order_amounts(context, cart)
    return {
        "cart_name": cart.name,
        "total": str(amounts.total),
        "account_number": account.code,
        "company_name": account.company_name,
    }


async def _email_approver(context: Context, cart: Cart) -> None:
    """Tell the shopper's cart approver that the cart waits, when CM10 "E-Mail Approver" is
    set on both their memberships."""
    shopper = await membership_of(context, cart.contact_id, cart.account_id)
    if shopper is None or shopper.cart_approver_id is None:
        return
    approver = await membership_of(context, shopper.cart_approver_id, cart.account_id)
    if approver is None or not emails_approver(
        shopper_email_approver=shopper.email_approver,
        approver_email_approver=approver.email_approver,
    ):
        return
    shopper_contact, approver_contact = await context.loader(ContactByIdLoader).load_many(
        [shopper.contact_id, approver.contact_id]
    )
    await queue_email(
        context,
        template=SystemEmail.CART_APPROVAL_REQUESTED.value,
        to=[approver_contact.email],
        variables={
            **await _cart_variables(context, cart),
            "shopper_name": shopper_contact.name,
            "approver_name": approver_contact.name,
        },
    )


async def _email_shopper(
    context: Context, cart: Cart, template: SystemEmail, **variables: str
) -> None:
    """Tell the shopper the approver's decision (issue #6 "Approvals")."""
    shopper, approver = await context.loader(ContactByIdLoader).load_many(
        [cart.contact_id, context.viewer.contact_id]
    )
    await queue_email(
        context,
        template=template.value,
        to=[shopper.email],
        variables={
            **await _cart_variables(context, cart),
            **variables,
            "shopper_name": shopper.name,
            "approver_name": approver.name,
        },
    )


async def bank_details_for(
    context: Context, payment_type: PaymentType
) -> DirectDepositSettings | None:
    """Where a DIRECT_DEPOSIT payment is sent (an order's, or an invoice payment's)."""
    if payment_type is not PaymentType.DIRECT_DEPOSIT:
        return None
    return await load_section(context, DIRECT_DEPOSIT_SECTION, DirectDepositSettings)
