"""Webhook endpoints through the API (issue #16 §3): integrators' sync keys and staff create,
list, change, rotate and delete them; the secret is shown once; bad input changes nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from domain.enums import ApiKeyScope, WorkerRole
from domain.webhooks import WebhookDeliveryStatus
from models import WebhookDelivery, WebhookEndpoint
from tests.conftest import StatementCounter
from tests.factories import PASSWORD, make_account, make_api_key, make_contact, make_worker
from tests.graphql_client import GraphQLClient, gid

CREATE = """
mutation Create($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) {
    secret
    webhookEndpoint { id url events isActive description }
    errors { field code message }
  }
}
"""
UPDATE = """
mutation Update($input: UpdateWebhookEndpointInput!) {
  updateWebhookEndpoint(input: $input) {
    webhookEndpoint { url events isActive description }
    errors { field code message }
  }
}
"""
ROTATE = """
mutation Rotate($input: WebhookEndpointIdInput!) {
  rotateWebhookSecret(input: $input) { secret errors { field code message } }
}
"""
DELETE = """
mutation Delete($input: WebhookEndpointIdInput!) {
  deleteWebhookEndpoint(input: $input) { deletedWebhookEndpointId errors { field code message } }
}
"""
PING = """
mutation($input: SendTestWebhookInput!) { sendTestWebhook(input: $input) { errors { code } } }
"""
ENDPOINTS = "{ webhookEndpoints { totalCount nodes { url events } } }"
URL = "https://erp.example.com/hooks"


async def _create(client: GraphQLClient, token: str, **values: Any) -> dict[str, Any]:
    input_ = {"url": URL, "events": ["ORDER_PLACED"], **values}
    data = await client.execute(CREATE, {"input": input_}, token=token)
    result: dict[str, Any] = data["createWebhookEndpoint"]
    return result


async def _endpoint_count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(WebhookEndpoint)) or 0)


async def test_an_integrator_subscribes_an_endpoint_and_sees_its_secret_once(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an integrator's sync key
    key = await make_api_key(session, scopes=[ApiKeyScope.SYNC])

    # when it subscribes an endpoint to two events (one named twice)
    created = await _create(
        client,
        key,
        events=["CART_APPROVED", "ORDER_PLACED", "CART_APPROVED"],
        description=" ERP order feed ",
    )

    # then the endpoint is active, with each event once, and the secret comes back this once
    assert created["errors"] == []
    assert created["secret"].startswith("whsec_") and len(created["secret"]) > 40
    endpoint = created["webhookEndpoint"]
    assert {k: v for k, v in endpoint.items() if k != "id"} == {
        "url": URL,
        "events": ["ORDER_PLACED", "CART_APPROVED"],
        "isActive": True,
        "description": "ERP order feed",
    }
    stored = await session.scalar(select(WebhookEndpoint))
    assert stored is not None and stored.secret == created["secret"]
    assert stored.created_by.startswith("api_key:")
    listed = await client.execute(ENDPOINTS, token=key)
    assert listed == {
        "webhookEndpoints": {
            "totalCount": 1,
            "nodes": [{"url": URL, "events": ["ORDER_PLACED", "CART_APPROVED"]}],
        }
    }
    # and the type has no field that could show the secret again
    fields = await client.execute('{ __type(name: "WebhookEndpoint") { fields { name } } }')
    assert "secret" not in {f["name"] for f in fields["__type"]["fields"]}


async def test_staff_change_rotate_and_delete_an_endpoint(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an endpoint an ADMIN worker created
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    token = await client.login("admin", PASSWORD)
    created = await _create(client, token)
    endpoint_id = created["webhookEndpoint"]["id"]

    # when it is changed, its secret rotated, then deleted
    updated = await client.execute(
        UPDATE,
        {
            "input": {
                "id": endpoint_id,
                "url": "https://erp.example.com/v2",
                "events": ["ACCOUNT_CREATED", "ACCOUNT_UPDATED"],
                "isActive": False,
                "description": "",
            }
        },
        token=token,
    )
    rotated = await client.execute(ROTATE, {"input": {"id": endpoint_id}}, token=token)
    stored = await session.scalar(select(WebhookEndpoint))
    deleted = await client.execute(DELETE, {"input": {"id": endpoint_id}}, token=token)

    # then each took effect
    assert updated["updateWebhookEndpoint"] == {
        "webhookEndpoint": {
            "url": "https://erp.example.com/v2",
            "events": ["ACCOUNT_CREATED", "ACCOUNT_UPDATED"],
            "isActive": False,
            "description": None,
        },
        "errors": [],
    }
    new_secret = rotated["rotateWebhookSecret"]["secret"]
    assert rotated["rotateWebhookSecret"]["errors"] == []
    assert new_secret != created["secret"]
    assert stored is not None and stored.secret == new_secret
    assert deleted["deleteWebhookEndpoint"] == {
        "deletedWebhookEndpointId": endpoint_id,
        "errors": [],
    }
    await session.rollback()  # a fresh read
    assert await _endpoint_count(session) == 0


async def test_bad_input_is_refused_on_its_field_and_changes_nothing(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an integrator with one endpoint
    key = await make_api_key(session, scopes=[ApiKeyScope.SYNC])
    endpoint_id = (await _create(client, key))["webhookEndpoint"]["id"]

    # when it sends a plain-http URL, no events and an over-long description, or PING
    bad = await client.execute(
        CREATE,
        {"input": {"url": "http://erp.example.com/", "events": [], "description": "d" * 201}},
        token=key,
    )
    ping = await client.execute(
        CREATE, {"input": {"url": URL, "events": ["ORDER_PLACED", "PING"]}}, token=key
    )
    internal = await client.execute(
        UPDATE, {"input": {"id": endpoint_id, "url": "https://169.254.169.254/"}}, token=key
    )
    unknown = await client.raw(
        CREATE, {"input": {"url": URL, "events": ["ORDER_SHIPPED"]}}, token=key
    )
    missing = await client.execute(
        UPDATE, {"input": {"id": gid("WebhookEndpoint", 999), "isActive": False}}, token=key
    )

    # then each is refused on its field, and nothing changed
    assert bad["createWebhookEndpoint"]["errors"] == [
        {"field": ["url"], "code": "INVALID", "message": "url must be https"},
        {"field": ["events"], "code": "REQUIRED", "message": "Subscribe to at least one event"},
        {
            "field": ["description"],
            "code": "TOO_LONG",
            "message": "description is longer than 200 characters",
        },
    ]
    assert ping["createWebhookEndpoint"]["errors"] == [
        {
            "field": ["events", "1"],
            "code": "INVALID",
            "message": "PING cannot be subscribed to (sendTestWebhook sends it)",
        }
    ]
    assert internal["updateWebhookEndpoint"]["errors"] == [
        {
            "field": ["url"],
            "code": "INVALID",
            "message": "url may not point at a link-local address",
        }
    ]
    assert (
        "'ORDER_SHIPPED' does not exist in 'WebhookEventKind'"
        in unknown.json()["errors"][0]["message"]
    )
    assert missing["updateWebhookEndpoint"]["errors"] == [
        {"field": ["id"], "code": "NOT_FOUND", "message": "No such webhook endpoint"}
    ]
    assert await _endpoint_count(session) == 1
    stored = await session.scalar(select(WebhookEndpoint))
    assert stored is not None and stored.url == URL and stored.is_active


async def test_only_sync_keys_and_staff_reach_endpoints(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a read-only key, a contact and a sales rep, and an endpoint staff made
    read_key = await make_api_key(session, scopes=[ApiKeyScope.READ])
    await make_contact(session, account=await make_account(session), username="shopper")
    await make_worker(session, username="rep", role=WorkerRole.SALES_REP, rep_code="REP01")
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    service = await client.login("service", PASSWORD)
    endpoint_id = (await _create(client, service))["webhookEndpoint"]["id"]
    node = "query($id: ID!) { node(id: $id) { ... on WebhookEndpoint { url } } }"

    # when each of the others lists endpoints, creates one or fetches the endpoint by ID
    answers = []
    for token in (
        read_key,
        await client.login("shopper", PASSWORD),
        await client.login("rep", PASSWORD),
    ):
        listed = await client.errors(ENDPOINTS, token=token)
        made = await client.errors(
            CREATE, {"input": {"url": URL, "events": ["ORDER_PLACED"]}}, token=token
        )
        fetched = await client.execute(node, {"id": endpoint_id}, token=token)
        answers.append(
            (listed[0]["extensions"]["code"], made[0]["extensions"]["code"], fetched["node"])
        )

    # then each is refused, and the endpoint does not exist for them
    assert answers == [("FORBIDDEN", "FORBIDDEN", None)] * 3
    assert await client.execute(node, {"id": endpoint_id}, token=service) == {"node": {"url": URL}}
    assert await _endpoint_count(session) == 1


NESTED = """
query($filter: WebhookDeliveryFilter) {
  webhookEndpoints {
    nodes { deliveries(first: 2, filter: $filter) { totalCount nodes { status } } }
  }
}
"""


async def test_every_endpoints_deliveries_come_from_one_statement_a_level(
    client: GraphQLClient, session: AsyncSession, sql_counter: StatementCounter
) -> None:
    # given three endpoints with 1, 2 and 3 test pings, one of the last endpoint's delivered
    key = await make_api_key(session, scopes=[ApiKeyScope.SYNC])
    for pings in (1, 2, 3):
        endpoint_id = (await _create(client, key))["webhookEndpoint"]["id"]
        for _ in range(pings):
            await client.execute(PING, {"input": {"endpointId": endpoint_id}}, token=key)
    await session.execute(
        update(WebhookDelivery)
        .where(col(WebhookDelivery.id) == 6)
        .values(status=WebhookDeliveryStatus.DELIVERED)
    )
    await session.commit()

    # when an integrator lists the endpoints with their pending deliveries, and all of them
    sql_counter.reset()
    pending = await client.execute(NESTED, {"filter": {"status": ["PENDING"]}}, token=key)
    deliveries = [s for s in sql_counter.statements if "FROM webhook_delivery" in s]
    every = await client.execute(NESTED, token=key)

    # then each endpoint has its page and count, read by one statement for all (and one count)
    def shown(data: dict[str, Any]) -> list[tuple[int, list[str]]]:
        nodes = data["webhookEndpoints"]["nodes"]
        return [
            (n["deliveries"]["totalCount"], [d["status"] for d in n["deliveries"]["nodes"]])
            for n in nodes
        ]

    assert shown(pending) == [(1, ["PENDING"]), (2, ["PENDING"] * 2), (2, ["PENDING"] * 2)]
    assert shown(every) == [(1, ["PENDING"]), (2, ["PENDING"] * 2), (3, ["DELIVERED", "PENDING"])]
    assert len(deliveries) == 2
