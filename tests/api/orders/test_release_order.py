"""releaseOrder: CM10 "Hold Orders Created" orders wait for a worker's release before the ERP
sees them; bad releases change nothing."""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from domain.enums import ApiKeyScope, RecordSource, WorkerRole
from models import Account, Contact
from tests.api.orders.test_exports import api_key
from tests.api.orders.test_orders import place_orders
from tests.factories import PASSWORD, make_account, make_contact, make_worker
from tests.graphql_client import GraphQLClient, gid

PENDING = "query { pendingExports { nodes { kind order { number status } } } }"
RELEASE = """
mutation Release($input: ReleaseOrderInput!) {
  releaseOrder(input: $input) {
    order { number status releasedAt releasedBy { username } }
    errors { field code message }
  }
}
"""
ORDER = "query Order($id: ID!) { order(id: $id) { status releasedAt } }"


async def held_order(client: GraphQLClient, session: AsyncSession) -> tuple[Account, str]:
    """A web account's shopper whose membership holds the orders it creates, and one order."""
    account = await make_account(
        session, code="HOLD1", source=RecordSource.WEB, sales_rep_code="REP01"
    )
    shopper: Contact = await make_contact(
        session, account=account, username="held", membership={"hold_orders_created": True}
    )
    [order_id] = await place_orders(client, session, account, shopper, 1)
    return account, order_id


async def test_a_held_order_reaches_the_export_feed_only_once_a_worker_releases_it(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    # given a held order and the ERP's key
    _, order_id = await held_order(client, session)
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    erp = await api_key(session, settings, ApiKeyScope.SYNC)
    before = await client.execute(PENDING, token=erp)

    # when customer service releases it
    worker = await client.login("service", PASSWORD)
    data = await client.execute(RELEASE, {"input": {"orderId": order_id}}, token=worker)

    # then it is placed, says who released it, and goes to the ERP with its web account
    assert before["pendingExports"]["nodes"] == []
    payload = data["releaseOrder"]
    assert payload["errors"] == []
    assert payload["order"]["status"] == "PLACED"
    assert payload["order"]["releasedAt"] is not None
    assert payload["order"]["releasedBy"] == {"username": "service"}
    after = await client.execute(PENDING, token=erp)
    number = payload["order"]["number"]
    assert [
        (n["kind"], n["order"]["number"], n["order"]["status"])
        for n in after["pendingExports"]["nodes"]
    ] == [
        ("ACCOUNT", number, "PLACED"),
        ("ORDER", number, "PLACED"),
    ]


async def test_releasing_twice_or_an_order_not_on_hold_is_refused(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    # given a released order
    _, order_id = await held_order(client, session)
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    worker = await client.login("admin", PASSWORD)
    await client.execute(RELEASE, {"input": {"orderId": order_id}}, token=worker)
    erp = await api_key(session, settings, ApiKeyScope.SYNC)

    # when it is released again
    again = await client.execute(RELEASE, {"input": {"orderId": order_id}}, token=worker)

    # then the second release is refused and the feed holds the order once
    assert again["releaseOrder"] == {
        "order": None,
        "errors": [
            {
                "field": ["orderId"],
                "code": "INVALID",
                "message": "The order is not on hold (it may have been released already)",
            }
        ],
    }
    kinds = [
        n["kind"] for n in (await client.execute(PENDING, token=erp))["pendingExports"]["nodes"]
    ]
    assert kinds == ["ACCOUNT", "ORDER"]


async def test_two_releases_at_once_release_the_order_once(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    _, order_id = await held_order(client, session)
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    worker = await client.login("admin", PASSWORD)

    results = await asyncio.gather(
        *(client.execute(RELEASE, {"input": {"orderId": order_id}}, token=worker) for _ in range(2))
    )

    outcomes = sorted(bool(r["releaseOrder"]["errors"]) for r in results)
    assert outcomes == [False, True]
    erp = await api_key(session, settings, ApiKeyScope.SYNC)
    kinds = [
        n["kind"] for n in (await client.execute(PENDING, token=erp))["pendingExports"]["nodes"]
    ]
    assert kinds == ["ACCOUNT", "ORDER"]


async def test_only_workers_who_manage_the_account_release_its_orders(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a held order of an account of REP01, another rep and the shopper
    _, order_id = await held_order(client, session)
    await make_worker(session, username="rep2", role=WorkerRole.SALES_REP, rep_code="REP02")
    await make_worker(session, username="rep1", role=WorkerRole.SALES_REP, rep_code="REP01")
    shopper = await client.login("held", PASSWORD)
    other_rep = await client.login("rep2", PASSWORD)
    own_rep = await client.login("rep1", PASSWORD)

    # when each tries to release it
    refused = await client.errors(RELEASE, {"input": {"orderId": order_id}}, token=shopper)
    hidden = await client.execute(RELEASE, {"input": {"orderId": order_id}}, token=other_rep)
    bad_id = await client.execute(RELEASE, {"input": {"orderId": gid("Cart", 1)}}, token=own_rep)
    still = await client.execute(ORDER, {"id": order_id}, token=shopper)
    released = await client.execute(RELEASE, {"input": {"orderId": order_id}}, token=own_rep)

    # then contacts are refused at the door, another rep finds no such order, the order stayed
    # held until the account's own rep released it
    assert [(e["message"], e["extensions"]["code"]) for e in refused] == [
        ("Only workers may do this", "FORBIDDEN")
    ]
    assert hidden["releaseOrder"]["errors"] == [
        {"field": ["orderId"], "code": "NOT_FOUND", "message": "No such order"}
    ]
    assert bad_id["releaseOrder"]["errors"] == [
        {"field": ["orderId"], "code": "NOT_FOUND", "message": "No Order with ID " + gid("Cart", 1)}
    ]
    assert still["order"] == {"status": "ON_HOLD", "releasedAt": None}
    assert released["releaseOrder"]["errors"] == []
