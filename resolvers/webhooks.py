"""Webhooks (issue #16 §3): integrators' endpoints, the events the changes record, and the
deliverer's claims and settlements.

`record_event` is called by each change in the change's own transaction: the event and one
delivery per subscribed endpoint are committed with the change or not at all (a refused
mutation's savepoint takes them back), so no event is lost when a process dies and none is
sent for a change that did not happen. `tradepost deliver-webhooks` (`api.webhook_sender`)
sends them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from core.context import Context
from domain.changes import UNSET, after, given
from domain.checkout import order_number
from domain.enums import QuoteAction
from domain.errors import DomainError, ErrorCode, raise_if_any
from domain.node_ids import encode_global_id
from domain.webhooks import (
    SUBSCRIBABLE,
    EndpointChanges,
    WebhookDeliveryStatus,
    WebhookEventKind,
    attempt_outcome,
    check_endpoint_url,
    event_body,
    event_token,
    new_secret,
)
from loaders.webhooks import (
    ACTIVE,
    ActiveEndpointsLoader,
    WebhookDeliveryByIdLoader,
    WebhookEndpointByIdLoader,
)
from models import (
    Account,
    Cart,
    ErpExport,
    InvoicePayment,
    Order,
    Quote,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from models.column_limits import and_column_errors
from resolvers.row_locks import lock_row

# The payloads' `data` (docs/webhooks.md "Events"): the object's Node id and key fields,
# small and stable; the integrator reads the rest through the API by the id.


def account_data(account: Account) -> dict[str, Any]:
    assert account.id is not None
    return {
        "id": encode_global_id("Account", account.id),
        "code": account.code,
        "erpKey": account.erp_key,
        "companyName": account.company_name,
        "isActive": account.is_active,
    }


def cart_data(cart: Cart) -> dict[str, Any]:
    assert cart.id is not None
    return {
        "id": encode_global_id("Cart", cart.id),
        "accountId": encode_global_id("Account", cart.account_id),
        "status": cart.status.value,
        "total": str(cart.total),
    }


def order_data(order: Order) -> dict[str, Any]:
    assert order.id is not None
    return {
        "id": encode_global_id("Order", order.id),
        "number": order_number(order.id),
        "accountId": encode_global_id("Account", order.account_id),
        "status": order.status.value,
        "total": str(order.total),
    }


def payment_data(payment: InvoicePayment) -> dict[str, Any]:
    assert payment.id is not None
    return {
        "id": encode_global_id("InvoicePayment", payment.id),
        "accountId": encode_global_id("Account", payment.account_id),
        "paymentType": payment.payment_type.value,
        "amount": str(payment.amount),
    }


def quote_data(quote: Quote, action: QuoteAction) -> dict[str, Any]:
    assert quote.id is not None
    return {
        "id": encode_global_id("Quote", quote.id),
        "accountId": encode_global_id("Account", quote.account_id),
        "action": action.value,
        "status": quote.status.value,
    }


def export_data(export: ErpExport) -> dict[str, Any]:
    assert export.id is not None
    return {
        "id": encode_global_id("ErpExport", export.id),
        "kind": export.kind.value,
        "accountId": encode_global_id("Account", export.account_id),
    }


async def record_event(context: Context, kind: WebhookEventKind, data: Mapping[str, Any]) -> None:
    """Record one event of `kind` in the caller's transaction, for every active endpoint
    subscribed to it; nothing when none is. Quotes call it with QUOTE_CHANGED."""
    await record_events(context, kind, [data])


async def queue_export(context: Context, export: ErpExport) -> None:
    """Put a record in the ERP's export feed (`pendingExports`) and raise EXPORT_QUEUED: every
    export is queued through here (orders, their accounts, payments; quotes' steps too)."""
    context.session.add(export)
    await context.session.flush()
    await record_event(context, WebhookEventKind.EXPORT_QUEUED, export_data(export))


async def record_events(
    context: Context, kind: WebhookEventKind, datas: Sequence[Mapping[str, Any]]
) -> None:
    """`record_event` for many changes of one kind at once (a sync batch): two INSERTs."""
    active = await context.loader(ActiveEndpointsLoader).load(ACTIVE)
    endpoints = [endpoint for endpoint in active if kind.value in endpoint.event_kinds]
    if datas and endpoints:
        await _fan_out(context, kind, datas, endpoints)


async def _fan_out(
    context: Context,
    kind: WebhookEventKind,
    datas: Sequence[Mapping[str, Any]],
    endpoints: Sequence[WebhookEndpoint],
) -> list[int]:
    """The events and their deliveries in two multi-row INSERTs (a sync batch records
    thousands); the events' ids, in order."""
    event_ids = list(
        (
            await context.db.execute(
                insert(WebhookEvent)
                .returning(col(WebhookEvent.id), sort_by_parameter_order=True)
                .execution_options(synchronize_session=False),
                [
                    {"kind": kind, "payload": dict(data), "created_at": context.now}
                    for data in datas
                ],
            )
        ).scalars()
    )
    await context.db.execute(
        insert(WebhookDelivery).execution_options(synchronize_session=False),
        [
            {
                "endpoint_id": endpoint.id,
                "event_id": event_id,
                "status": WebhookDeliveryStatus.PENDING,
                "attempts": 0,
                "next_attempt_at": context.now,
                "created_at": context.now,
            }
            for event_id in event_ids
            for endpoint in endpoints
        ],
    )
    return event_ids


# Endpoints -------------------------------------------------------------------------------------


def _principal(context: Context) -> str:
    viewer = context.viewer
    if viewer.api_key_id is not None:
        return f"api_key:{viewer.api_key_id}"
    return f"worker:{viewer.worker_id}"


def _event_kinds(events: Sequence[WebhookEventKind]) -> list[str]:
    if not events:
        raise DomainError(ErrorCode.REQUIRED, "Subscribe to at least one event", field=["events"])
    raise_if_any(
        [
            DomainError(
                ErrorCode.INVALID,
                f"{kind.value} cannot be subscribed to (sendTestWebhook sends it)",
                field=["events", str(index)],
            )
            for index, kind in enumerate(events)
            if kind not in SUBSCRIBABLE
        ]
    )
    # Once each, in the enum's order, however they were sent.
    return [kind.value for kind in SUBSCRIBABLE if kind in events]


def _checked_values(context: Context, changes: EndpointChanges) -> dict[str, Any]:
    """The columns `changes` (url, events, description, is_active) set, or every refusal."""
    values: dict[str, Any] = {}
    errors: list[DomainError] = []
    if changes.url is not UNSET:
        try:
            values["url"] = check_endpoint_url(
                changes.url or "", allow_loopback=context.settings.webhook_allow_loopback
            )
        except DomainError as error:
            errors.append(error)
    if changes.events is not UNSET:
        try:
            values["event_kinds"] = _event_kinds(changes.events or [])
        except DomainError as error:
            errors.append(error)
    if changes.description is not UNSET:
        description = (changes.description or "").strip()
        values["description"] = description or None
    if given(changes.is_active) is not None:
        values["is_active"] = changes.is_active
    raise_if_any(and_column_errors(errors, WebhookEndpoint, values))
    return values


def endpoints_statement() -> Select[Any]:
    """`webhookEndpoints`: oldest first."""
    return select(WebhookEndpoint).order_by(col(WebhookEndpoint.id))


async def create_endpoint(
    context: Context, changes: EndpointChanges
) -> tuple[WebhookEndpoint, str]:
    """A new active endpoint and its signing secret, which is shown this once."""
    required = replace(changes, url=after(changes.url, None), events=after(changes.events, None))
    values = _checked_values(context, required)
    secret = new_secret()
    endpoint = WebhookEndpoint(
        **values,
        secret=secret,
        created_by=_principal(context),
        created_at=context.now,
        updated_at=context.now,
    )
    context.session.add(endpoint)
    await context.session.flush()
    return endpoint, secret


async def _endpoint(context: Context, endpoint_id: int | None, field: str) -> WebhookEndpoint:
    if (
        endpoint_id is None
        or await context.loader(WebhookEndpointByIdLoader).load(endpoint_id) is None
    ):
        raise DomainError(ErrorCode.NOT_FOUND, "No such webhook endpoint", field=[field])
    locked = await lock_row(context, WebhookEndpoint, endpoint_id)
    assert locked is not None
    return locked


async def update_endpoint(
    context: Context, endpoint_id: int | None, changes: EndpointChanges
) -> WebhookEndpoint:
    """Change what was sent; the input is checked before the endpoint is looked up, so every
    refusal of it is reported at once."""
    values = _checked_values(context, changes)
    endpoint = await _endpoint(context, endpoint_id, "id")
    for name, value in values.items():
        setattr(endpoint, name, value)
    endpoint.updated_at = context.now
    return endpoint


async def delete_endpoint(context: Context, endpoint_id: int | None) -> None:
    """The endpoint goes with its deliveries and their attempts; nothing more is sent to it."""
    endpoint = await _endpoint(context, endpoint_id, "id")
    await context.session.delete(endpoint)
    await context.session.flush()


async def rotate_secret(context: Context, endpoint_id: int | None) -> tuple[WebhookEndpoint, str]:
    """A new secret at once, shown this once: deliveries from now on are signed with it, and
    the old one is void (a receiver switching over checks against both until it has stored
    the new one)."""
    endpoint = await _endpoint(context, endpoint_id, "id")
    endpoint.secret = new_secret()
    endpoint.updated_at = context.now
    return endpoint, endpoint.secret


async def send_test(context: Context, endpoint_id: int | None) -> WebhookDelivery:
    """A PING event to this endpoint alone, delivered like any other (an inactive endpoint's
    waits until it is active again)."""
    endpoint = await _endpoint(context, endpoint_id, "endpointId")
    assert endpoint.id is not None
    data = {"id": encode_global_id("WebhookEndpoint", endpoint.id), "url": endpoint.url}
    (event_id,) = await _fan_out(context, WebhookEventKind.PING, [data], [endpoint])
    delivery: WebhookDelivery | None = await context.db.scalar(
        select(WebhookDelivery).where(col(WebhookDelivery.event_id) == event_id)
    )
    assert delivery is not None
    return delivery


async def resend_delivery(context: Context, delivery_id: int | None) -> WebhookDelivery:
    """Send again (delivered or failed): due now, with a fresh series of attempts; the event
    is the same, so the receiver can tell it is a repeat by its id."""
    if (
        delivery_id is None
        or await context.loader(WebhookDeliveryByIdLoader).load(delivery_id) is None
    ):
        raise DomainError(ErrorCode.NOT_FOUND, "No such webhook delivery", field=["id"])
    locked = await lock_row(context, WebhookDelivery, delivery_id)
    assert locked is not None
    locked.status = WebhookDeliveryStatus.PENDING
    locked.attempts = 0
    locked.next_attempt_at = context.now
    locked.last_error = None
    return locked


# The deliverer -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claimed:
    """A delivery taken for one attempt: what to send, where, signed with which secret."""

    delivery_id: int
    attempts: int  # counting this one
    url: str
    secret: str
    event_token: str
    kind: WebhookEventKind
    body: str


async def claim_due(
    session: AsyncSession, *, now: datetime, limit: int, lease_seconds: float
) -> list[Claimed]:
    """Take up to `limit` due deliveries of active endpoints, oldest first, for one attempt
    each. Their next attempt moves past the lease, so if this deliverer dies mid-delivery they
    are due again when it ends (at least once). On PostgreSQL `FOR UPDATE SKIP LOCKED` lets
    two deliverers claim disjoint rows at once; on SQLite the writer's turn serialises them."""
    rows = (
        await session.execute(
            select(WebhookDelivery, WebhookEvent, WebhookEndpoint)
            .join(WebhookEvent, col(WebhookEvent.id) == col(WebhookDelivery.event_id))
            .join(WebhookEndpoint, col(WebhookEndpoint.id) == col(WebhookDelivery.endpoint_id))
            .where(
                col(WebhookDelivery.status) == WebhookDeliveryStatus.PENDING,
                col(WebhookDelivery.next_attempt_at) <= now,
                col(WebhookEndpoint.is_active),
            )
            .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
            .limit(limit)
            .with_for_update(skip_locked=True, of=WebhookDelivery)
        )
    ).all()
    if not rows:
        return []
    await session.execute(
        update(WebhookDelivery)
        .where(col(WebhookDelivery.id).in_([delivery.id for delivery, _, _ in rows]))
        .values(
            attempts=col(WebhookDelivery.attempts) + 1,
            next_attempt_at=now + timedelta(seconds=lease_seconds),
        )
        .execution_options(synchronize_session=False)
    )
    claimed = []
    for delivery, event, endpoint in rows:
        assert delivery.id is not None and event.id is not None
        body = event_body(
            event_id=event.id, kind=event.kind, created_at=event.created_at, data=event.payload
        )
        claimed.append(
            Claimed(
                delivery_id=delivery.id,
                attempts=delivery.attempts + 1,
                url=endpoint.url,
                secret=endpoint.secret,
                event_token=event_token(event.id),
                kind=event.kind,
                body=body,
            )
        )
    return claimed


@dataclass(frozen=True)
class AttemptResult:
    claimed: Claimed
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int


async def settle_attempts(
    session: AsyncSession,
    results: Sequence[AttemptResult],
    *,
    now: datetime,
    max_attempts: int,
    retry_seconds: int,
) -> list[WebhookDeliveryStatus]:
    """Record each attempt and decide its delivery: DELIVERED, PENDING after the back-off, or
    FAILED when the attempts are used up. A delivery resent while its attempt was in flight
    keeps the resend's state (its attempt is still recorded); one whose endpoint was deleted
    meanwhile is gone, and so is its attempt. Deliveries settled alike (a batch's successes,
    mostly) are updated by one statement."""
    # Locked, so an endpoint deleted now waits for this settlement (or was deleted before it).
    remaining = set(
        await session.scalars(
            select(col(WebhookDelivery.id))
            .where(col(WebhookDelivery.id).in_([r.claimed.delivery_id for r in results]))
            .with_for_update()
        )
    )
    results = [result for result in results if result.claimed.delivery_id in remaining]
    session.add_all(
        WebhookAttempt(
            delivery_id=result.claimed.delivery_id,
            at=result.at,
            status_code=result.status_code,
            error=result.error[:1000] if result.error else None,
            duration_ms=result.duration_ms,
        )
        for result in results
    )
    statuses = []
    alike: defaultdict[tuple[Any, ...], list[int]] = defaultdict(list)
    for result in results:
        outcome = attempt_outcome(
            succeeded=result.error is None,
            attempts=result.claimed.attempts,
            max_attempts=max_attempts,
            base_seconds=retry_seconds,
        )
        delivered = outcome.status is WebhookDeliveryStatus.DELIVERED
        values = {
            "status": outcome.status,
            "last_error": None if delivered else (result.error or "")[:1000],
            "delivered_at": now if delivered else None,
        }
        if outcome.retry_in_seconds is not None:
            values["next_attempt_at"] = now + timedelta(seconds=outcome.retry_in_seconds)
        alike[(result.claimed.attempts, *sorted(values.items()))].append(result.claimed.delivery_id)
        statuses.append(outcome.status)
    for (attempts, *settled), delivery_ids in alike.items():
        await session.execute(
            update(WebhookDelivery)
            .where(
                col(WebhookDelivery.id).in_(delivery_ids),
                # Not resent meanwhile.
                col(WebhookDelivery.attempts) == attempts,
                col(WebhookDelivery.status) == WebhookDeliveryStatus.PENDING,
            )
            .values(dict(settled))
            .execution_options(synchronize_session=False)
        )
    await session.flush()
    return statuses
