"""Subscriptions (graphql-transport-ws on `/graphql`): the approval queue, a cart's status and
an order's status, pushed as they change. The connection's token comes in `connection_init`;
each subscription is gated and reads as the queries do (`resolvers.live`)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Iterator
from contextlib import aclosing, contextmanager
from enum import Enum
from typing import Any, TypeVar

import strawberry
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError
from strawberry.types import ExecutionContext
from strawberry.types.graphql import OperationType

from core.authentication import AuthenticationFailed
from core.context import LiveContext
from resolvers import live
from schema.cart_types import Cart
from schema.info import LiveInfo
from schema.order_types import Order
from schema.permissions import require_authenticated, require_people
from schema.relay import FromRow, decode_id_of

T = TypeVar("T", bound=FromRow)


@strawberry.enum(description="How a cart moved in the viewer's approval queue.")
class QueueChange(Enum):
    ENTERED = "ENTERED"
    LEFT = "LEFT"


@strawberry.type(description="A cart that entered or left the viewer's approval queue.")
class CartQueueChange:
    cart: Cart
    change: QueueChange


@contextmanager
def _still_signed_in() -> Iterator[None]:
    """Every read authenticates the connection's token again: one that no longer stands for
    anyone (a session revoked or expired, a contact disabled) ends the subscription."""
    try:
        yield
    except AuthenticationFailed as failure:
        raise GraphQLError(str(failure), extensions={"code": "UNAUTHENTICATED"}) from failure


async def _rows_as(type_: type[T], rows: AsyncGenerator[Any, None]) -> AsyncIterator[T]:
    with _still_signed_in():
        async with aclosing(rows):
            async for row in rows:
                yield type_.from_row(row)


async def _queue_changes(context: LiveContext) -> AsyncIterator[CartQueueChange]:
    changes = live.approval_queue_changes(context)
    with _still_signed_in():
        async with aclosing(changes):
            async for queued in changes:
                yield CartQueueChange(
                    cart=Cart.from_row(queued.cart), change=QueueChange(queued.change)
                )


def _needs_websocket() -> GraphQLError:
    return GraphQLError(
        "Subscribe over a websocket on /graphql (graphql-transport-ws)",
        extensions={"code": "BAD_REQUEST"},
    )


def refuse_subscription_over_http(execution_context: ExecutionContext) -> None:
    """Before execution: a subscription posted as an HTTP request is refused rather than held
    open (Strawberry would execute it as a query, and its streams need a websocket's context)."""
    is_subscription = execution_context.operation_type is OperationType.SUBSCRIPTION
    if is_subscription and not isinstance(execution_context.context, LiveContext):
        execution_context.result = GraphQLExecutionResult(data=None, errors=[_needs_websocket()])


def over_websocket(info: LiveInfo) -> LiveContext:
    """A subscription's context, which only a websocket connection has (HTTP's multipart
    subscriptions reach the field without one)."""
    if not isinstance(info.context, LiveContext):
        raise _needs_websocket()
    return info.context


def not_found(what: str) -> GraphQLError:
    """As a query finds nothing the viewer may not read, a subscription to it is refused."""
    return GraphQLError(f"No such {what}", extensions={"code": "NOT_FOUND"})


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Each cart entering the viewer's approval queue (submitted for approval) "
        "or leaving it (approved or rejected): the queue of the `cartsToApprove` query, live."
    )
    async def carts_to_approve(self, info: LiveInfo) -> AsyncIterator[CartQueueChange]:
        context = over_websocket(info)
        require_people(context.viewer)
        return _queue_changes(context)

    @strawberry.subscription(
        description="The cart as it is now, then each time its status changes, while the "
        "viewer may see it; a cart the viewer may not see is NOT_FOUND."
    )
    async def cart_status(self, info: LiveInfo, id: strawberry.ID) -> AsyncIterator[Cart]:
        context = over_websocket(info)
        require_authenticated(context.viewer)
        with _still_signed_in():
            cart = await live.readable_cart_now(context, decode_id_of(id, "Cart"))
        if cart is None or cart.id is None:
            raise not_found("cart")
        return _rows_as(Cart, live.cart_statuses(context, cart.id))

    @strawberry.subscription(
        description="The order as it is now, then each time its status changes (a held order "
        "released), while the viewer may see it; an order the viewer may not see is NOT_FOUND."
    )
    async def order_status(self, info: LiveInfo, id: strawberry.ID) -> AsyncIterator[Order]:
        context = over_websocket(info)
        require_authenticated(context.viewer)
        with _still_signed_in():
            order = await live.readable_order_now(context, decode_id_of(id, "Order"))
        if order is None or order.id is None:
            raise not_found("order")
        return _rows_as(Order, live.order_statuses(context, order.id))
