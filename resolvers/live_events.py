"""What a change tells the subscriptions (`resolvers.live`): the topics and their payloads.

Topics: `cart:<id>` (its status changed), `order:<id>` (placed or released) and
`approvals:<account id>` (a cart of the account entered or left PENDING_APPROVAL). An event only
names what changed; a subscriber reads it again, as its viewer, before telling anyone."""

from __future__ import annotations

from core.broker import publish
from core.context import Context
from domain.enums import CartEventKind
from models import Cart, Order

# How each event of a cart's history moves it in or out of its approvers' queues.
QUEUE_CHANGES = {
    CartEventKind.SUBMITTED_FOR_APPROVAL: "ENTERED",
    CartEventKind.APPROVED: "LEFT",
    CartEventKind.REJECTED: "LEFT",
}


def cart_topic(cart_id: int) -> str:
    return f"cart:{cart_id}"


def order_topic(order_id: int) -> str:
    return f"order:{order_id}"


def approvals_topic(account_id: int) -> str:
    return f"approvals:{account_id}"


def cart_changed(context: Context, cart: Cart, kind: CartEventKind) -> None:
    assert cart.id is not None
    publish(context.session, cart_topic(cart.id), cart_id=cart.id)
    change = QUEUE_CHANGES.get(kind)
    if change is not None:
        publish(context.session, approvals_topic(cart.account_id), cart_id=cart.id, change=change)


def order_changed(context: Context, order: Order) -> None:
    assert order.id is not None
    publish(context.session, order_topic(order.id), order_id=order.id)
