"""Loaders of webhook endpoints, events, deliveries and attempts."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any, ClassVar

from sqlalchemy import BindParameter, Select, select
from sqlmodel import col

from domain.webhooks import WebhookDeliveryStatus
from loaders.base import RowByKeyLoader, RowLoader, RowsByKeyLoader
from loaders.pages import PageLoader
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


class EndpointDeliveryPagesLoader(PageLoader):
    """`WebhookEndpoint.deliveries`: each endpoint's, the newest first, in one statement for
    every endpoint of a page; `filtered` gives the loader of a status filter."""

    model = WebhookDelivery
    key_column = "endpoint_id"
    statuses: ClassVar[tuple[WebhookDeliveryStatus, ...]] = ()

    def ordering(self) -> list[Any]:
        return [col(WebhookDelivery.id).desc()]

    def source(self, parents: BindParameter[Any]) -> Select[Any]:
        statement = super().source(parents)
        if self.statuses:
            statement = statement.where(col(WebhookDelivery.status).in_(self.statuses))
        return statement

    @staticmethod
    @cache
    def filtered(
        statuses: frozenset[WebhookDeliveryStatus],
    ) -> type[EndpointDeliveryPagesLoader]:
        """One class a filter (at most 2³), so the request keeps one instance of each."""
        chosen = tuple(s for s in WebhookDeliveryStatus if s in statuses)
        name = "".join(s.value.title() for s in chosen)
        return type(
            f"Endpoint{name}DeliveryPagesLoader",
            (EndpointDeliveryPagesLoader,),
            {"statuses": chosen},
        )


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
