"""Webhook endpoints and their deliveries (issue #16 §3): for integrators' API keys with the sync
scope and for staff, like the export feed they replace polling of."""

from __future__ import annotations

import strawberry

from domain.webhooks import EndpointChanges, WebhookEventKind
from resolvers import webhooks
from schema.info import Info
from schema.input_values import ROW_ID, key_of, maybe_key, set_values
from schema.payloads import Payload, mutation
from schema.permissions import require_sync
from schema.relay import Connection, PageRequest, connection, paginate
from schema.webhook_types import WebhookDelivery, WebhookEndpoint

UNSET = strawberry.UNSET


@strawberry.input(description="An endpoint to send the chosen events to.")
class CreateWebhookEndpointInput:
    url: str = strawberry.field(
        description="https://…; plain http to 127.0.0.1 or localhost only where the server "
        "allows it (WEBHOOK_ALLOW_LOOPBACK)."
    )
    events: list[WebhookEventKind]
    description: str | None = None


@strawberry.input(description="Change what is sent; absent fields stay as they are.")
class UpdateWebhookEndpointInput:
    id: strawberry.ID
    url: str | None = UNSET
    events: list[WebhookEventKind] | None = UNSET
    description: str | None = UNSET
    is_active: bool | None = UNSET


@strawberry.input
class WebhookEndpointIdInput:
    id: strawberry.ID


@strawberry.input
class SendTestWebhookInput:
    endpoint_id: strawberry.ID


@strawberry.input
class ResendWebhookDeliveryInput:
    id: strawberry.ID


@strawberry.type
class CreateWebhookEndpointPayload(Payload):
    webhook_endpoint: WebhookEndpoint | None = None
    secret: str | None = strawberry.field(
        default=None,
        description="The signing secret, shown this once: keep it to verify `Tradepost-Signature`.",
    )


@strawberry.type
class UpdateWebhookEndpointPayload(Payload):
    webhook_endpoint: WebhookEndpoint | None = None


@strawberry.type
class DeleteWebhookEndpointPayload(Payload):
    deleted_webhook_endpoint_id: strawberry.ID | None = None


@strawberry.type
class RotateWebhookSecretPayload(Payload):
    webhook_endpoint: WebhookEndpoint | None = None
    secret: str | None = strawberry.field(
        default=None, description="The new signing secret, shown this once; the old one is void."
    )


@strawberry.type
class WebhookDeliveryPayload(Payload):
    webhook_delivery: WebhookDelivery | None = None


def _endpoint_id(global_id: strawberry.ID, field: str = "id") -> int | None:
    return key_of(global_id, "WebhookEndpoint", field=field)


@strawberry.type
class WebhookQuery:
    @connection(
        description="Every webhook endpoint, the oldest first (API keys with the sync scope, "
        "and staff)."
    )
    async def webhook_endpoints(self, info: Info, page: PageRequest) -> Connection[WebhookEndpoint]:
        require_sync(info.context.viewer)
        return await paginate(
            info,
            webhooks.endpoints_statement(),
            page,
            WebhookEndpoint.from_row,
        )


@strawberry.type
class WebhookMutation:
    @mutation(
        CreateWebhookEndpointPayload,
        gate=require_sync,
        description="Subscribe an endpoint to events; its secret comes back once.",
    )
    async def create_webhook_endpoint(
        self, info: Info, input: CreateWebhookEndpointInput
    ) -> dict[str, object]:
        endpoint, secret = await webhooks.create_endpoint(
            info.context, EndpointChanges(**set_values(input))
        )
        return {"webhook_endpoint": WebhookEndpoint.from_row(endpoint), "secret": secret}

    @mutation(
        UpdateWebhookEndpointPayload,
        gate=require_sync,
        description="Change an endpoint's URL, events, description or activity.",
    )
    async def update_webhook_endpoint(
        self, info: Info, input: UpdateWebhookEndpointInput
    ) -> dict[str, object]:
        # The changes are checked before the endpoint is looked up (an unknown id is
        # NOT_FOUND after them).
        endpoint = await webhooks.update_endpoint(
            info.context,
            maybe_key(input.id, "WebhookEndpoint"),
            EndpointChanges(**set_values(input, exclude=ROW_ID)),
        )
        return {"webhook_endpoint": WebhookEndpoint.from_row(endpoint)}

    @mutation(
        DeleteWebhookEndpointPayload,
        gate=require_sync,
        description="Remove an endpoint with its deliveries; it is sent nothing more.",
    )
    async def delete_webhook_endpoint(
        self, info: Info, input: WebhookEndpointIdInput
    ) -> dict[str, object]:
        await webhooks.delete_endpoint(info.context, _endpoint_id(input.id))
        return {"deleted_webhook_endpoint_id": input.id}

    @mutation(
        RotateWebhookSecretPayload,
        gate=require_sync,
        description="Replace an endpoint's signing secret; the new one comes back once.",
    )
    async def rotate_webhook_secret(
        self, info: Info, input: WebhookEndpointIdInput
    ) -> dict[str, object]:
        endpoint, secret = await webhooks.rotate_secret(info.context, _endpoint_id(input.id))
        return {"webhook_endpoint": WebhookEndpoint.from_row(endpoint), "secret": secret}

    @mutation(
        WebhookDeliveryPayload,
        gate=require_sync,
        description="Deliver a delivery again, now, with a fresh series of attempts.",
    )
    async def resend_webhook_delivery(
        self, info: Info, input: ResendWebhookDeliveryInput
    ) -> dict[str, object]:
        key = key_of(input.id, "WebhookDelivery", field="id")
        delivery = await webhooks.resend_delivery(info.context, key)
        return {"webhook_delivery": WebhookDelivery.from_row(delivery)}

    @mutation(
        WebhookDeliveryPayload,
        gate=require_sync,
        description="Send the endpoint a PING event, delivered like any other.",
    )
    async def send_test_webhook(self, info: Info, input: SendTestWebhookInput) -> dict[str, object]:
        endpoint_id = _endpoint_id(input.endpoint_id, field="endpointId")
        delivery = await webhooks.send_test(info.context, endpoint_id)
        return {"webhook_delivery": WebhookDelivery.from_row(delivery)}
