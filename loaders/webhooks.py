"""Loaders of webhook endpoints, events, deliveries and attempts."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlmodel import col

from domain.webhooks import WebhookEventKind
from loaders.base import RowByKeyLoader, RowLoader, RowsByKeyLoader
from models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent


class WebhookEndpointByIdLoader(RowByKeyLoader[WebhookEndpoint]):
    model = WebhookEndpoint


class WebhookEventByIdLoader(RowByKeyLoader[WebhookEvent]):
    model = WebhookEvent


class WebhookDeliveryByIdLoader(RowByKeyLoader[WebhookDelivery]):
    model = WebhookDelivery


class WebhookAttemptsByDeliveryIdLoader(RowsByKeyLoader[WebhookAttempt]):
    model = WebhookAttempt
    key_column = "delivery_id"


class SubscribedEndpointsLoader(RowLoader):
    """The active endpoints subscribed to each event kind: one query however many changes a
    mutation records (the mutation's loaders are forgotten when it ends)."""

    async def batch_load_fn(self, keys: Sequence[WebhookEventKind]) -> list[list[WebhookEndpoint]]:
        endpoints = list(
            await self.db.scalars(
                select(WebhookEndpoint)
                .where(col(WebhookEndpoint.is_active))
                .order_by(col(WebhookEndpoint.id))
            )
        )
        return [[e for e in endpoints if kind.value in e.event_kinds] for kind in keys]
