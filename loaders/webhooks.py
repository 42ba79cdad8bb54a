"""Loaders of webhook endpoints, events, deliveries and attempts."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlmodel import col

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


class ActiveEndpointsLoader(RowLoader):
    """Every active endpoint, under the one key `ACTIVE`: one query however many events of
    whatever kinds a mutation records (the mutation's loaders are forgotten when it ends)."""

    async def batch_load_fn(self, keys: Sequence[bool]) -> list[list[WebhookEndpoint]]:
        endpoints = list(
            await self.db.scalars(
                select(WebhookEndpoint)
                .where(col(WebhookEndpoint.is_active))
                .order_by(col(WebhookEndpoint.id))
            )
        )
        return [endpoints for _ in keys]


ACTIVE = True
