"""Subscriptions' streams: each event of a topic (`resolvers.live_events`) read again, as the
viewer, in a unit of its own (`LiveContext.reading`), so visibility is the queries' own at
every event. Each stream yields inside its read, so GraphQL resolves the value's fields in the
same unit; a cart or order the viewer can no longer read ends its stream."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import dataclass

from core.broker import LiveEvent, broker
from core.context import LiveContext
from domain.enums import CartStatus
from models import Cart, Order
from resolvers.carts import approver_sees, readable_cart
from resolvers.live_events import approvals_topic, cart_topic, order_topic
from resolvers.orders import readable_order


@dataclass(frozen=True)
class QueueChange:
    cart: Cart
    # ENTERED or LEFT (`resolvers.live_events.QUEUE_CHANGES`)
    change: str


async def _read_now_and_on_events(
    context: LiveContext, topics: list[str]
) -> AsyncGenerator[LiveEvent | None, None]:
    """None once listening to `topics` (to read the state now), then every event of them, each
    yielded inside a read of its own."""
    async with broker.subscribe(topics) as events:
        live_event = None
        while True:
            async with context.reading():
                yield live_event
            live_event = await events.get()


async def readable_cart_now(context: LiveContext, cart_id: int | None) -> Cart | None:
    """At subscribe time: the cart if the viewer may read it (`readable_cart`)."""
    async with context.reading():
        return await readable_cart(context, cart_id)


async def readable_order_now(context: LiveContext, order_id: int | None) -> Order | None:
    async with context.reading():
        return await readable_order(context, order_id)


async def cart_statuses(context: LiveContext, cart_id: int) -> AsyncGenerator[Cart, None]:
    """The cart now, then after each change of its status, while the viewer may read it."""
    async with aclosing(_read_now_and_on_events(context, [cart_topic(cart_id)])) as events:
        async for _ in events:
            cart = await readable_cart(context, cart_id)
            if cart is None:
                return
            yield cart


async def order_statuses(context: LiveContext, order_id: int) -> AsyncGenerator[Order, None]:
    """The order now, then after each change of its status, while the viewer may read it."""
    async with aclosing(_read_now_and_on_events(context, [order_topic(order_id)])) as events:
        async for _ in events:
            order = await readable_order(context, order_id)
            if order is None:
                return
            yield order


async def approval_queue_changes(context: LiveContext) -> AsyncGenerator[QueueChange, None]:
    """A cart entering or leaving the viewer's approval queue (`carts_to_approve`'s rule: a
    pending cart the viewer approves): at each of the viewer's accounts, each cart that is
    submitted, approved or rejected, when the viewer approves its shopper's carts."""
    topics = [approvals_topic(account_id) for account_id in context.viewer.memberships]
    async with aclosing(_read_now_and_on_events(context, topics)) as events:
        async for live_event in events:
            if live_event is None:
                continue  # the queue as it is now is the `cartsToApprove` query's
            cart = await readable_cart(context, live_event.payload["cart_id"])
            if cart is None or await approver_sees(context, cart) is None:
                continue
            change = live_event.payload["change"]
            if (change == "ENTERED") != (cart.status is CartStatus.PENDING_APPROVAL):
                continue  # decided (or submitted again) since: another event tells that
            yield QueueChange(cart=cart, change=change)
