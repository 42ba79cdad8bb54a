"""Delivering webhooks to a real HTTP receiver on 127.0.0.1 (issue #16 §3): signed, retried
with back-off, failed after the last attempt, resent on request, never to the server's own
network unless allowed, and each once when two deliverers run at once."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api.system_commands import deliver_webhooks_now
from api.webhook_sender import DeliveryReport, deliver_webhooks
from core.context import Context
from core.database import begin_write, create_sessionmaker
from core.settings import Settings
from domain.enums import ApiKeyScope, PaymentType
from domain.webhooks import (
    EVENT_ID_HEADER,
    SIGNATURE_HEADER,
    WebhookDeliveryStatus,
    WebhookEventKind,
    verify,
)
from models import WebhookAttempt, WebhookEndpoint
from models.types import utcnow
from resolvers.system_context import SYSTEM
from resolvers.webhooks import AttemptResult, claim_due, record_events, settle_attempts
from tests.api.carts.test_checkout_cart import CHECKOUT, arrange, checkout_input
from tests.api.webhooks.test_events import subscribe
from tests.conftest import ClientWith
from tests.factories import make_api_key
from tests.graphql_client import GraphQLClient
from tests.webhook_receiver import WebhookReceiver, running_receiver

CREATE = """
mutation($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { secret webhookEndpoint { id } errors { code } }
}
"""
PING = """
mutation($input: SendTestWebhookInput!) {
  sendTestWebhook(input: $input) { webhookDelivery { id status } errors { field code } }
}
"""
RESEND = """
mutation($input: ResendWebhookDeliveryInput!) {
  resendWebhookDelivery(input: $input) {
    webhookDelivery { status attemptCount } errors { field code message }
  }
}
"""
DELIVERIES = """
query($id: ID!, $filter: WebhookDeliveryFilter) {
  node(id: $id) {
    ... on WebhookEndpoint {
      deliveries(filter: $filter) {
        totalCount
        nodes {
          id status attemptCount lastError nextAttemptAt deliveredAt
          event { id type body }
          attempts { statusCode error }
        }
      }
    }
  }
}
"""


class Clock:
    """The deliverer's time: a minute after the test's changes were made, then advanced."""

    def __init__(self) -> None:
        self.start = utcnow().replace(microsecond=0) + timedelta(minutes=1)
        self.now = self.start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    yield from running_receiver()


@pytest.fixture
def clock() -> Clock:
    return Clock()


Deliver = Callable[..., Awaitable[DeliveryReport]]


@pytest.fixture
def deliver(settings: Settings, engine: AsyncEngine, clock: Clock) -> Deliver:
    """One run of the deliverer at the clock's time, loopback allowed (the receiver's)."""

    async def run(**overrides: Any) -> DeliveryReport:
        changed = settings.model_copy(
            update={"webhook_allow_loopback": True, "webhook_max_attempts": 3, **overrides}
        )
        return await deliver_webhooks(changed, create_sessionmaker(engine), now=clock)

    return run


@pytest.fixture
async def integrator(
    client_with: ClientWith, session: AsyncSession
) -> AsyncIterator[tuple[GraphQLClient, str]]:
    """A client of a server that allows loopback endpoints, and a sync key."""
    key = await make_api_key(session, scopes=[ApiKeyScope.SYNC])
    async with client_with(webhook_allow_loopback=True) as client:
        yield client, key


async def _endpoint(client: GraphQLClient, key: str, url: str) -> tuple[str, str]:
    data = await client.execute(
        CREATE, {"input": {"url": url, "events": ["ORDER_PLACED"]}}, token=key
    )
    created = data["createWebhookEndpoint"]
    assert created["errors"] == []
    return created["webhookEndpoint"]["id"], created["secret"]


async def _deliveries(client: GraphQLClient, key: str, endpoint_id: str) -> list[dict[str, Any]]:
    data = await client.execute(DELIVERIES, {"id": endpoint_id}, token=key)
    nodes: list[dict[str, Any]] = data["node"]["deliveries"]["nodes"]
    return nodes


async def test_a_test_ping_arrives_signed_and_the_receiver_verifies_it(
    integrator: tuple[GraphQLClient, str],
    receiver: WebhookReceiver,
    deliver: Deliver,
    clock: Clock,
) -> None:
    # given an endpoint at the receiver, and a ping sent to it
    client, key = integrator
    endpoint_id, secret = await _endpoint(client, key, receiver.url)
    ping = await client.execute(PING, {"input": {"endpointId": endpoint_id}}, token=key)
    assert ping["sendTestWebhook"]["webhookDelivery"]["status"] == "PENDING"

    # when the deliverer runs
    report = await deliver()

    # then the receiver got it once, signed with the endpoint's secret, and it shows delivered
    assert report.counts[WebhookDeliveryStatus.DELIVERED] == 1
    (received,) = receiver.received
    body = json.loads(received.body)
    assert body["type"] == "PING" and body["data"]["id"] == endpoint_id
    assert received.headers[EVENT_ID_HEADER] == body["id"]
    assert received.headers["Content-Type"] == "application/json"
    now = int(clock.start.timestamp())
    assert verify(secret, received.headers[SIGNATURE_HEADER], received.body, now=now)
    assert not verify("whsec_wrong", received.headers[SIGNATURE_HEADER], received.body, now=now)
    (delivery,) = await _deliveries(client, key, endpoint_id)
    assert delivery | {"id": None} == {
        "id": None,
        "status": "DELIVERED",
        "attemptCount": 1,
        "lastError": None,
        "nextAttemptAt": delivery["nextAttemptAt"],
        "deliveredAt": clock.start.isoformat(),
        "event": {"id": body["id"], "type": "PING", "body": received.body},
        "attempts": [{"statusCode": 200, "error": None}],
    }


async def test_a_failing_receiver_is_retried_with_back_off_until_it_answers(
    integrator: tuple[GraphQLClient, str],
    receiver: WebhookReceiver,
    deliver: Deliver,
    clock: Clock,
) -> None:
    # given a ping to a receiver that answers 500 twice
    client, key = integrator
    endpoint_id, _ = await _endpoint(client, key, receiver.url)
    await client.execute(PING, {"input": {"endpointId": endpoint_id}}, token=key)
    receiver.answer(500, 500)

    # when the deliverer runs now, again now, after 30 s, too early, and after 60 s more
    runs = []
    for wait in (0, 0, 30, 59, 1):
        clock.advance(wait)
        runs.append((await deliver()).counts)

    # then it was tried at 0 s, 30 s and 90 s, and delivered at the third
    pending, delivered = WebhookDeliveryStatus.PENDING, WebhookDeliveryStatus.DELIVERED
    assert [(c[pending], c[delivered]) for c in runs] == [(1, 0), (0, 0), (1, 0), (0, 0), (0, 1)]
    assert len(receiver.received) == 3
    assert len({r.headers[EVENT_ID_HEADER] for r in receiver.received}) == 1
    (delivery,) = await _deliveries(client, key, endpoint_id)
    assert delivery["status"] == "DELIVERED"
    assert delivery["attempts"] == [
        {"statusCode": 500, "error": "HTTP 500"},
        {"statusCode": 500, "error": "HTTP 500"},
        {"statusCode": 200, "error": None},
    ]


async def test_after_the_last_attempt_it_fails_and_a_resend_delivers_it(
    integrator: tuple[GraphQLClient, str],
    receiver: WebhookReceiver,
    deliver: Deliver,
    clock: Clock,
) -> None:
    # given a ping to a receiver that fails three times (the deliverer's maximum)
    client, key = integrator
    endpoint_id, _ = await _endpoint(client, key, receiver.url)
    await client.execute(PING, {"input": {"endpointId": endpoint_id}}, token=key)
    receiver.answer(503, 503, 503)
    for wait in (0, 30, 60):
        clock.advance(wait)
        await deliver()
    (failed,) = await _deliveries(client, key, endpoint_id)

    # when it is resent and the deliverer runs
    resent = await client.execute(RESEND, {"input": {"id": failed["id"]}}, token=key)
    clock.advance(3600)
    await deliver()

    # then it had FAILED after three attempts, and the resend delivered it on a fourth
    assert (failed["status"], failed["attemptCount"], failed["lastError"]) == (
        "FAILED",
        3,
        "HTTP 503",
    )
    assert resent["resendWebhookDelivery"] == {
        "webhookDelivery": {"status": "PENDING", "attemptCount": 0},
        "errors": [],
    }
    (delivery,) = await _deliveries(client, key, endpoint_id)
    assert delivery["status"] == "DELIVERED"
    assert [a["statusCode"] for a in delivery["attempts"]] == [503, 503, 503, 200]
    failed_only = await client.execute(
        DELIVERIES, {"id": endpoint_id, "filter": {"status": ["FAILED"]}}, token=key
    )
    assert failed_only["node"]["deliveries"]["totalCount"] == 0


async def test_an_address_of_the_servers_own_network_is_refused_at_delivery(
    integrator: tuple[GraphQLClient, str], receiver: WebhookReceiver, deliver: Deliver
) -> None:
    # given an endpoint at localhost, saved while loopback was allowed
    client, key = integrator
    url = receiver.url.replace("127.0.0.1", "localhost")
    endpoint_id, _ = await _endpoint(client, key, url)
    await client.execute(PING, {"input": {"endpointId": endpoint_id}}, token=key)

    # when a deliverer that does not allow loopback runs
    await deliver(webhook_allow_loopback=False)

    # then nothing was sent: the name resolved to a loopback address
    assert receiver.received == []
    (delivery,) = await _deliveries(client, key, endpoint_id)
    assert delivery["status"] == "PENDING"
    assert delivery["attempts"] == [
        {"statusCode": None, "error": delivery["lastError"]},
    ]
    assert delivery["lastError"].startswith("RefusedAddress: localhost resolves to a loopback")


async def test_a_deliverer_that_dies_after_claiming_leaves_it_due_again_after_the_lease(
    session: AsyncSession,
    engine: AsyncEngine,
    receiver: WebhookReceiver,
    deliver: Deliver,
    clock: Clock,
    settings: Settings,
) -> None:
    # given a recorded event for the receiver, claimed by a deliverer that then died
    await _ping_events(session, settings, receiver, count=1, now=clock.start)
    async with create_sessionmaker(engine)() as claiming:
        await begin_write(claiming)
        claimed = await claim_due(claiming, now=clock(), limit=10, lease_seconds=25)
        await claiming.commit()
    assert len(claimed) == 1

    # when another deliverer runs during the lease and after it
    during = await deliver()
    clock.advance(25)
    after = await deliver()

    # then the delivery waited for the lease and was then delivered
    assert sum(during.counts.values()) == 0
    assert after.counts[WebhookDeliveryStatus.DELIVERED] == 1
    assert len(receiver.received) == 1


async def test_two_deliverers_at_once_deliver_each_event_once(
    session: AsyncSession,
    settings: Settings,
    receiver: WebhookReceiver,
    deliver: Deliver,
    clock: Clock,
) -> None:
    # given 60 events for the receiver
    await _ping_events(session, settings, receiver, count=60, now=clock.start)

    # when two deliverers run at once, 7 deliveries a claim each
    first, second = await asyncio.gather(
        deliver(webhook_concurrency=7), deliver(webhook_concurrency=7)
    )

    # then every event arrived exactly once, and both did part of the work
    ids = [r.headers[EVENT_ID_HEADER] for r in receiver.received]
    assert len(ids) == len(set(ids)) == 60
    delivered = WebhookDeliveryStatus.DELIVERED
    assert first.counts[delivered] + second.counts[delivered] == 60


async def _ping_events(
    session: AsyncSession,
    settings: Settings,
    receiver: WebhookReceiver,
    *,
    count: int,
    now: datetime,
) -> None:
    """`count` PING events for an endpoint at the receiver, recorded as a change records them."""
    await subscribe(session, WebhookEventKind.PING, url=receiver.url)
    context = Context(request=None, settings=settings, session=session, viewer=SYSTEM, now=now)
    await record_events(context, WebhookEventKind.PING, [{"n": n} for n in range(count)])
    await session.commit()


async def test_deliver_webhooks_sends_a_placed_order_and_says_what_it_did(
    client: GraphQLClient, session: AsyncSession, settings: Settings, receiver: WebhookReceiver
) -> None:
    # given an endpoint at the receiver for placed orders, and an order placed through the API
    endpoint = await subscribe(session, WebhookEventKind.ORDER_PLACED, url=receiver.url)
    token, cart, _ = await arrange(client, session)
    data = await client.execute(CHECKOUT, checkout_input(cart, PaymentType.ON_ACCOUNT), token=token)

    # when the operator runs `tradepost deliver-webhooks` once
    reports: list[str] = []
    allowed = settings.model_copy(update={"webhook_allow_loopback": True})
    await deliver_webhooks_now(allowed, watch_seconds=None, report=reports.append)

    # then the receiver has the order, signed, and the command said so
    (received,) = receiver.received
    body = json.loads(received.body)
    assert (body["type"], body["data"]["id"]) == (
        "ORDER_PLACED",
        data["checkoutCart"]["order"]["id"],
    )
    assert verify(
        endpoint.secret, received.headers[SIGNATURE_HEADER], received.body, now=int(time.time())
    )
    assert reports == ["1 delivered, 0 to retry, 0 failed"]


async def test_an_endpoint_deleted_while_its_delivery_is_in_flight_is_settled_as_gone(
    session: AsyncSession,
    engine: AsyncEngine,
    settings: Settings,
    receiver: WebhookReceiver,
    clock: Clock,
) -> None:
    # given a delivery claimed by a deliverer, whose endpoint is then deleted
    await _ping_events(session, settings, receiver, count=1, now=clock.start)
    sessions = create_sessionmaker(engine)
    async with sessions() as claiming:
        await begin_write(claiming)
        (claimed,) = await claim_due(claiming, now=clock(), limit=10, lease_seconds=25)
        await claiming.commit()
    await session.execute(delete(WebhookEndpoint))
    await session.commit()

    # when the deliverer settles its answer
    async with sessions() as settling:
        await begin_write(settling)
        result = AttemptResult(
            claimed=claimed, at=clock(), status_code=200, error=None, duration_ms=3
        )
        settled = await settle_attempts(
            settling, [result], now=clock(), max_attempts=3, retry_seconds=30
        )
        await settling.commit()

    # then there was nothing left to settle, and nothing was written
    assert settled == []
    assert await session.scalar(select(func.count()).select_from(WebhookAttempt)) == 0
