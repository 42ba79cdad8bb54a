"""Ordering an accepted quote (issue #16: "converts to an order at its prices, through the same
checkout rules, approvals included").

The quote becomes a cart of the buyer's whose lines carry the quote's net prices, and that cart
is checked out by `resolvers.checkout.checkout_cart` — the same credit, limit, payment and
approval rules, the same order, export and e-mails. A cart that goes to approval orders the
quote when the approver approves it (`resolvers.quotes.record_order`).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from core.context import Context
from domain.enums import CartEventKind, CartStatus, PaymentType, QuoteAction, QuoteStatus
from domain.errors import DomainError, ErrorCode, raise_if_any
from domain.quotes import net_unit_price, next_state, quote_number
from loaders.carts import CartByIdLoader, OrderByIdLoader
from models import Cart, CartLine, Quote
from resolvers.carts import check_places_orders, membership_of, record_event
from resolvers.checkout import (
    CheckoutChoices,
    CheckoutResult,
    checkout_cart,
    checkout_result,
    choice_errors,
)
from resolvers.quotes import QuoteInHand, quote_lines, quote_to_change, state_of


async def order_quote(
    context: Context,
    quote_id: int | None,
    choices: CheckoutChoices,
    *,
    idempotency_key: str | None,
) -> CheckoutResult:
    """Order the accepted, unexpired quote at its prices. Idempotent by the quote's own state:
    the quote is locked, so a second order (at once or later) finds the first one's order, or
    its cart waiting for approval, and gives that back."""
    raise_if_any(choice_errors(choices, idempotency_key))
    check_places_orders(context)
    held = await quote_to_change(context, quote_id)
    quote = held.quote
    done = await _earlier_result(context, quote)
    if done is not None:
        return done
    if choices.payment_type is PaymentType.RUNNING_QUOTE:
        raise DomainError(
            ErrorCode.INVALID,
            "A quote is ordered with a payment type that pays for it",
            field=["paymentType"],
        )
    next_state(state_of(context, quote), QuoteAction.ORDER, held.side)
    cart = await _order_cart(context, held)
    assert cart.id is not None
    result = await checkout_cart(context, cart.id, choices, idempotency_key=idempotency_key)
    return replace(result, quote=quote)


async def _earlier_result(context: Context, quote: Quote) -> CheckoutResult | None:
    """What an earlier `orderQuote` made: the order, or the cart waiting for approval."""
    if quote.order_cart_id is None:
        return None
    cart: Cart | None = await context.loader(CartByIdLoader).load(quote.order_cart_id)
    if cart is None:
        return None
    if quote.status is QuoteStatus.ORDERED and quote.order_id is not None:
        order = await context.loader(OrderByIdLoader).load(quote.order_id)
        return await checkout_result(context, cart, order, quote=quote)
    if cart.status is CartStatus.PENDING_APPROVAL:
        return await checkout_result(context, cart, None, quote=quote)
    return None


async def _order_cart(context: Context, held: QuoteInHand) -> Cart:
    """The quote's cart to check out: the one made before (an approver returned it to the buyer
    and it is open again), or a new one of the viewer's with the quote's lines at their net
    prices, shipping to the viewer's default ship-to."""
    quote = held.quote
    if quote.order_cart_id is not None:
        earlier: Cart | None = await context.loader(CartByIdLoader).load(quote.order_cart_id)
        if earlier is not None:
            return earlier
    assert quote.id is not None and held.account.id is not None
    lines = [
        (line.product_id, line)
        for line in await quote_lines(context, quote)
        if line.product_id is not None
    ]
    if not lines:
        raise DomainError(
            ErrorCode.INVALID, "None of the quote's products is sold any more", field=["id"]
        )
    membership = await membership_of(context, context.viewer.contact_id, held.account.id)
    discount = quote.discount_percent
    priced = [
        (product_id, line, net_unit_price(line.quoted_unit_price, discount))
        for product_id, line in lines
    ]
    cart = Cart(
        account_id=held.account.id,
        contact_id=context.viewer.contact_id,
        name=f"Quote {quote_number(quote.id)}",
        ship_to_address_id=membership.default_ship_to_id if membership else None,
        total=sum((price * line.quantity for _, line, price in priced), Decimal("0")),
        created_at=context.now,
        updated_at=context.now,
    )
    context.session.add(cart)
    await context.session.flush()
    assert cart.id is not None
    context.session.add_all(
        CartLine(
            cart_id=cart.id,
            product_id=product_id,
            quantity=line.quantity,
            unit_price=price,
            line_total=price * line.quantity,
        )
        for product_id, line, price in priced
    )
    record_event(context, cart, CartEventKind.CREATED)
    quote.order_cart_id = cart.id
    # The quote's cart is found by its id from here on (`resolvers.quotes.check_orderable`).
    await context.session.flush()
    return cart
