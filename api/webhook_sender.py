"""Delivering webhooks (`tradepost deliver-webhooks`).

httpx's AsyncClient: asyncio-native, already the tests' client, with per-request timeouts and
no redirects followed (a redirect to an internal address would get round the address check).
Due deliveries are claimed in one short transaction, sent at once (WEBHOOK_CONCURRENCY of
them) outside any transaction, and settled as their answers come, in short transactions of
their own: a slow endpoint never holds the database's write lock. Delivery is at least once:
a deliverer that dies between a POST and its settlement leaves the delivery to be sent again
when its lease ends, so receivers deduplicate by `Tradepost-Event-Id`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.database import begin_write
from core.settings import Settings
from domain.webhooks import (
    EVENT_ID_HEADER,
    EVENT_TYPE_HEADER,
    SIGNATURE_HEADER,
    WebhookDeliveryStatus,
    address_refusal,
    signature_header,
)
from models.types import utcnow
from resolvers.webhooks import AttemptResult, Claimed, claim_due, settle_attempts

logger = logging.getLogger("tradepost.webhooks")

USER_AGENT = "Tradepost-Webhooks/1"


@dataclass
class DeliveryReport:
    counts: dict[WebhookDeliveryStatus, int] = field(
        default_factory=lambda: dict.fromkeys(WebhookDeliveryStatus, 0)
    )


class RefusedAddress(Exception):
    """The endpoint's host resolves to an address deliveries may not reach."""


async def check_resolved_host(url: str, *, allow_loopback: bool) -> None:
    """Resolve the endpoint's host now, at delivery, and refuse it if any address it has is
    one of the server's own networks (`domain.webhooks.address_refusal`): a name that pointed
    outside when the endpoint was saved may point inside today."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM
            )
        except OSError as error:
            raise RefusedAddress(f"{host} does not resolve: {error}") from error
        addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    for address in addresses:
        why = address_refusal(address, allow_loopback=allow_loopback)
        if why is not None:
            raise RefusedAddress(f"{host} resolves to {why} ({address})")


async def post_delivery(
    client: httpx.AsyncClient, settings: Settings, claimed: Claimed, *, now: datetime
) -> AttemptResult:
    """One signed POST; any 2xx answer delivers it."""
    started = time.monotonic()
    status_code: int | None = None
    try:
        await check_resolved_host(claimed.url, allow_loopback=settings.webhook_allow_loopback)
        response = await client.post(
            claimed.url,
            content=claimed.body.encode(),
            headers={
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                EVENT_ID_HEADER: claimed.event_token,
                EVENT_TYPE_HEADER: claimed.kind.value,
                SIGNATURE_HEADER: signature_header(
                    claimed.secret, int(now.timestamp()), claimed.body
                ),
            },
        )
        status_code = response.status_code
        error = None if response.is_success else f"HTTP {status_code}"
    except (RefusedAddress, httpx.HTTPError, httpx.InvalidURL) as failure:
        error = f"{type(failure).__name__}: {failure}"
    if error is not None:
        logger.warning("webhook delivery %s not delivered: %s", claimed.delivery_id, error)
    return AttemptResult(
        claimed=claimed,
        at=now,
        status_code=status_code,
        error=error,
        duration_ms=int((time.monotonic() - started) * 1000),
    )


async def deliver_webhooks(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    now: Callable[[], datetime] = utcnow,
) -> DeliveryReport:
    """Deliver everything due, one attempt each; retries wait for a later run."""
    report = DeliveryReport()
    # Longer than one POST can take, so a live deliverer's claim never lapses mid-attempt.
    lease = settings.webhook_timeout_seconds * 2 + 5
    async with httpx.AsyncClient(
        timeout=settings.webhook_timeout_seconds, follow_redirects=False, trust_env=False
    ) as client:
        while True:
            async with sessionmaker() as session:
                await begin_write(session)
                batch = await claim_due(
                    session, now=now(), limit=settings.webhook_concurrency, lease_seconds=lease
                )
                await session.commit()
            if not batch:
                return report
            # Settled as they are answered, those answered meanwhile together: what a death
            # here sends twice is only what was answered since the last settlement began.
            in_flight = {
                asyncio.create_task(post_delivery(client, settings, claimed, now=now()))
                for claimed in batch
            }
            while in_flight:
                answered, in_flight = await asyncio.wait(
                    in_flight, return_when=asyncio.FIRST_COMPLETED
                )
                async with sessionmaker() as session:
                    await begin_write(session)
                    statuses = await settle_attempts(
                        session,
                        [task.result() for task in answered],
                        now=now(),
                        max_attempts=settings.webhook_max_attempts,
                        retry_seconds=settings.webhook_retry_seconds,
                    )
                    await session.commit()
                for status in statuses:
                    report.counts[status] += 1
