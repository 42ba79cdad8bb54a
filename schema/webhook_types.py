"""Webhook endpoints, deliveries, their events and attempts as GraphQL objects (issue #16 §3)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.webhooks import WebhookDeliveryStatus, WebhookEventKind, event_body, event_token
from loaders.webhooks import (
    EndpointDeliveryPagesLoader,
    WebhookAttemptsByDeliveryIdLoader,
    WebhookEndpointByIdLoader,
    WebhookEventByIdLoader,
)
from models import WebhookDelivery as WebhookDeliveryRow
from models import WebhookEndpoint as WebhookEndpointRow
from schema.info import Info
from schema.relay import Connection, FromRow, Node, PageRequest, connection, paginate_related

strawberry.enum(
    WebhookEventKind,
    description="What a webhook endpoint is told about (docs/webhooks.md); PING only by "
    "`sendTestWebhook`.",
)
strawberry.enum(
    WebhookDeliveryStatus,
    description="PENDING until the endpoint answers 2xx (DELIVERED) or the last retry failed "
    "(FAILED).",
)


@strawberry.type(description="One event as its endpoints receive it.")
class WebhookEvent:
    id: str = strawberry.field(
        description="The event's id (`evt_…`), also the `Tradepost-Event-Id` header: receivers "
        "deduplicate by it."
    )
    type: WebhookEventKind
    created_at: datetime
    body: str = strawberry.field(description="The JSON body sent, byte for byte (it is signed).")


@strawberry.type(description="One try to deliver: the endpoint's HTTP status or why none came.")
class WebhookAttempt:
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int


@strawberry.input
class WebhookDeliveryFilter:
    status: list[WebhookDeliveryStatus] | None = None


@strawberry.type(description="One event for one endpoint, tried until delivered or failed.")
class WebhookDelivery(Node, FromRow):
    row: strawberry.Private[WebhookDeliveryRow]
    status: WebhookDeliveryStatus
    next_attempt_at: datetime = strawberry.field(description="When a PENDING one is tried next.")
    last_error: str | None = strawberry.field(description="Why the last attempt failed.")
    created_at: datetime
    delivered_at: datetime | None

    @strawberry.field(description="Attempts of the current series (a resend starts a new one).")
    def attempt_count(self) -> int:
        return self.row.attempts

    @strawberry.field(description="Every attempt, the oldest first, resends included.")
    async def attempts(self, info: Info) -> list[WebhookAttempt]:
        rows = await info.context.loader(WebhookAttemptsByDeliveryIdLoader).load(self.db_id)
        return [
            WebhookAttempt(
                at=r.at, status_code=r.status_code, error=r.error, duration_ms=r.duration_ms
            )
            for r in rows
        ]

    @strawberry.field
    async def event(self, info: Info) -> WebhookEvent:
        row = await info.context.loader(WebhookEventByIdLoader).load(self.row.event_id)
        assert row is not None and row.id is not None
        body = event_body(
            event_id=row.id, kind=row.kind, created_at=row.created_at, data=row.payload
        )
        return WebhookEvent(
            id=event_token(row.id), type=row.kind, created_at=row.created_at, body=body
        )

    @strawberry.field
    async def endpoint(self, info: Info) -> WebhookEndpoint:
        row = await info.context.loader(WebhookEndpointByIdLoader).load(self.row.endpoint_id)
        return WebhookEndpoint.from_row(row)


@strawberry.type(
    description="An integrator's HTTPS endpoint and the events it is sent; its signing secret "
    "is shown only by `createWebhookEndpoint` and `rotateWebhookSecret`."
)
class WebhookEndpoint(Node, FromRow):
    row: strawberry.Private[WebhookEndpointRow]
    url: str
    is_active: bool = strawberry.field(description="Inactive endpoints are sent nothing.")
    description: str | None
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    def events(self) -> list[WebhookEventKind]:
        return [WebhookEventKind(kind) for kind in self.row.event_kinds]

    @connection(description="Its deliveries, the newest first.")
    async def deliveries(
        self,
        info: Info,
        page: PageRequest,
        filter: WebhookDeliveryFilter | None = None,
    ) -> Connection[WebhookDelivery]:
        statuses = frozenset((filter.status if filter else None) or [])
        return await paginate_related(
            info,
            EndpointDeliveryPagesLoader.filtered(statuses),
            self.db_id,
            page,
            WebhookDelivery.from_row,
        )
