"""Subscriptions over graphql-transport-ws against a real `tradepost serve`, with a real websocket
client: the approver's queue, a cart's and an order's status, pushed as HTTP mutations change
them; the connection's token and the queries' visibility rules; on PostgreSQL, an event raised in
one worker process reaching a subscriber of another (LISTEN/NOTIFY)."""

from __future__ import annotations

import json
import os
import shutil
import socket
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from api.app import GRAPHIQL_ASSETS
from core.settings import Settings
from domain.enums import ApiKeyScope, MembershipRole, PaymentType, WorkerRole
from models import AccountMembership, Cart
from tests.api.carts.test_checkout_cart import CHECKOUT, arrange, checkout_input
from tests.api.orders.test_exports import api_key
from tests.api.orders.test_release_order import RELEASE, held_order
from tests.factories import PASSWORD, make_account, make_contact, make_worker
from tests.graphql_client import GraphQLClient, gid
from tests.live.conftest import PORT, LiveServer, serving
from tests.live.graphql_ws import LiveConnection, live_connection, open_connection
from tests.node_tools import node_tool

QUEUE = "subscription { cartsToApprove { change cart { id status total } } }"
CART_STATUS = "subscription S($id: ID!) { cartStatus(id: $id) { id status } }"
ORDER_STATUS = "subscription S($id: ID!) { orderStatus(id: $id) { status releasedAt } }"
APPROVE = """
mutation Approve($input: ApproveCartInput!) {
  approveCart(input: $input) { cart { status } errors { field code message } }
}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def server_env(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "SECRET_KEY": settings.secret_key,
        "LOG_FORMAT": "json",
    }


@pytest.fixture(scope="module")
def one_worker(
    settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """One worker process: on SQLite, events travel within a process only."""
    log = tmp_path_factory.mktemp("subscriptions") / "server.log"
    with serving(server_env(settings), PORT, log, workers=1) as server:
        yield server


@pytest.fixture
async def http(one_worker: LiveServer) -> AsyncIterator[GraphQLClient]:
    async with httpx.AsyncClient(base_url=one_worker.url, timeout=30) as client:
        yield GraphQLClient(client)


async def approval_world(client: GraphQLClient, session: AsyncSession) -> tuple[str, str, Cart]:
    """A shopper (token) whose carts from 20.00 up go to their approver (token), and the
    shopper's 30.00 cart."""
    shopper_token, cart, account = await arrange(
        client, session, membership={"no_approval_below_value": Decimal("20")}
    )
    approver = await make_contact(
        session,
        account=account,
        username="approver",
        name="Alice Approver",
        role=MembershipRole.APPROVER,
        membership={"approve_assigned": True},
    )
    await session.execute(
        update(AccountMembership)
        .where(col(AccountMembership.contact_id) == cart.contact_id)
        .values(cart_approver_id=approver.id)
    )
    await session.commit()
    return shopper_token, await client.login("approver", PASSWORD), cart


async def next_status(connection: LiveConnection, operation_id: str, field: str) -> str:
    status: str = (await connection.data(operation_id))[field]["status"]
    return status


async def test_the_approver_hears_a_cart_enter_and_leave_the_queue(
    one_worker: LiveServer, http: GraphQLClient, session: AsyncSession
) -> None:
    # given an approver subscribed to the queue and to the shopper's cart
    shopper, approver, cart = await approval_world(http, session)
    cart_id = gid("Cart", cart.id)
    async with live_connection(one_worker.url, approver) as live:
        await live.subscribe("queue", QUEUE)
        await live.subscribe("cart", CART_STATUS, {"id": cart_id})
        # (the cart as it is now: both subscriptions are listening)
        assert await next_status(live, "cart", "cartStatus") == "OPEN"

        # when the shopper checks out over the approval limit, and the approver approves
        checkout = await http.execute(
            CHECKOUT, checkout_input(cart, PaymentType.ON_ACCOUNT), token=shopper
        )
        entered = await live.data("queue")
        pending = await next_status(live, "cart", "cartStatus")
        approval = await http.execute(APPROVE, {"input": {"cartId": cart_id}}, token=approver)
        left = await live.data("queue")
        decided = await next_status(live, "cart", "cartStatus")

    # then the cart entered the queue, left it, and its status followed
    assert checkout["checkoutCart"]["cart"] == {"status": "PENDING_APPROVAL"}
    assert approval["approveCart"] == {"cart": {"status": "CHECKED_OUT"}, "errors": []}
    cart_then = {"id": cart_id, "status": "PENDING_APPROVAL", "total": "30.00"}
    assert entered == {"cartsToApprove": {"change": "ENTERED", "cart": cart_then}}
    cart_now = {"id": cart_id, "status": "CHECKED_OUT", "total": "30.00"}
    assert left == {"cartsToApprove": {"change": "LEFT", "cart": cart_now}}
    assert (pending, decided) == ("PENDING_APPROVAL", "CHECKED_OUT")


async def test_a_revoked_session_ends_its_subscriptions_at_the_next_event(
    one_worker: LiveServer, http: GraphQLClient, session: AsyncSession
) -> None:
    # given an approver subscribed to a shopper's cart, who then logs out
    shopper, approver, cart = await approval_world(http, session)
    async with live_connection(one_worker.url, approver) as live:
        await live.subscribe("cart", CART_STATUS, {"id": gid("Cart", cart.id)})
        await live.data("cart")
        await http.execute("mutation { logout { errors { code } } }", token=approver)

        # when the cart changes
        await http.execute(CHECKOUT, checkout_input(cart, PaymentType.ON_ACCOUNT), token=shopper)
        ended = await live.message("cart")
        completed = await live.message("cart")

    # then the subscription ends, as a request with that token would be refused
    assert [e["extensions"]["code"] for e in ended["payload"]["errors"]] == ["UNAUTHENTICATED"]
    assert completed["type"] == "complete"


async def test_a_held_order_is_pushed_when_a_worker_releases_it(
    one_worker: LiveServer, http: GraphQLClient, session: AsyncSession
) -> None:
    # given the shopper of a held order subscribed to it
    _, order_id = await held_order(http, session)
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    shopper = await http.login("held", PASSWORD)
    async with live_connection(one_worker.url, shopper) as live:
        await live.subscribe("order", ORDER_STATUS, {"id": order_id})
        now = await live.data("order")

        # when customer service releases it
        worker = await http.login("service", PASSWORD)
        await http.execute(RELEASE, {"input": {"orderId": order_id}}, token=worker)
        released = await live.data("order")

    # then the subscriber saw it held, then placed
    assert now == {"orderStatus": {"status": "ON_HOLD", "releasedAt": None}}
    assert released["orderStatus"]["status"] == "PLACED"
    assert released["orderStatus"]["releasedAt"] is not None


async def test_a_contact_of_another_account_cannot_subscribe_to_the_cart(
    one_worker: LiveServer, http: GraphQLClient, session: AsyncSession
) -> None:
    # given a shopper's cart and a contact of another account
    _, _, cart = await approval_world(http, session)
    other = await make_account(session, code="OTHER")
    await make_contact(session, account=other, username="outsider")
    outsider = await http.login("outsider", PASSWORD)

    # when the outsider subscribes to the cart, and to a cart that does not exist
    async with live_connection(one_worker.url, outsider) as live:
        await live.subscribe("cart", CART_STATUS, {"id": gid("Cart", cart.id)})
        refused = await live.message("cart")
        await live.subscribe("missing", CART_STATUS, {"id": gid("Cart", 999999)})
        missing = await live.message("missing")

    # then both are refused alike, as the `cart` query finds neither
    for message in (refused, missing):
        assert message["type"] == "error", message
        assert [e["extensions"]["code"] for e in message["payload"]] == ["NOT_FOUND"]
    assert refused["payload"][0]["message"] == missing["payload"][0]["message"]


@pytest.mark.parametrize(
    "payload",
    [{"Authorization": "Bearer tp_s_not-a-session"}, {"token": "nonsense"}, {"token": 7}],
)
async def test_a_bad_token_is_refused_at_connection_init(
    one_worker: LiveServer, payload: dict[str, object]
) -> None:
    # when a connection starts with a bad token
    websocket = await open_connection(one_worker.url, payload)
    try:
        with pytest.raises(Exception) as closed:
            await websocket.recv()
    finally:
        await websocket.close()

    # then the server closes it as forbidden, before any subscription
    assert getattr(closed.value, "rcvd", None) is not None
    assert closed.value.rcvd.code == 4403  # type: ignore[attr-defined]


async def test_an_api_key_may_not_subscribe_to_the_queue(
    one_worker: LiveServer, session: AsyncSession, settings: Settings
) -> None:
    # given an integrator's connection
    key = await api_key(session, settings, ApiKeyScope.READ)
    async with live_connection(one_worker.url, key) as live:
        # when it subscribes to the approval queue
        await live.subscribe("queue", QUEUE)
        refused = await live.message("queue")

    # then it is refused, as the `cartsToApprove` query is
    assert refused["type"] == "error"
    assert [e["extensions"]["code"] for e in refused["payload"]] == ["FORBIDDEN"]


async def test_a_connection_holds_at_most_its_limit_of_subscriptions(
    one_worker: LiveServer, http: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    # given an approver's connection holding as many subscriptions as it may
    _, approver, _ = await approval_world(http, session)
    limit = settings.max_subscriptions_per_connection
    async with live_connection(one_worker.url, approver) as live:
        for number in range(limit):
            await live.subscribe(str(number), QUEUE)

        # when it subscribes once more
        await live.subscribe("over", QUEUE)
        refused = await live.message("over")

    # then that one is refused
    assert refused["type"] == "error"
    assert [e["message"] for e in refused["payload"]] == ["Subscription limit reached"]


async def test_an_anonymous_connection_may_not_subscribe_to_the_queue(
    one_worker: LiveServer,
) -> None:
    # given a connection without a token
    websocket = await open_connection(one_worker.url, {})
    live = LiveConnection(websocket)
    try:
        assert (await live.message(""))["type"] == "connection_ack"

        # when it subscribes to the approval queue
        await live.subscribe("queue", QUEUE)
        refused = await live.message("queue")
    finally:
        await websocket.close()

    # then it is told to sign in
    assert refused["type"] == "error"
    assert [e["extensions"]["code"] for e in refused["payload"]] == ["UNAUTHENTICATED"]


async def test_on_postgresql_an_event_raised_in_one_process_reaches_another(
    one_worker: LiveServer,
    http: GraphQLClient,
    session: AsyncSession,
    settings: Settings,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    if not settings.is_postgres:
        pytest.skip("on SQLite events travel within a process only (TEST_DATABASE_URL)")
    # given a second server process over the same database, the approver subscribed there
    shopper, approver, cart = await approval_world(http, session)
    log = tmp_path_factory.mktemp("second") / "server.log"
    with serving(server_env(settings), free_port(), log, workers=1) as second:
        async with live_connection(second.url, approver) as live:
            await live.subscribe("queue", QUEUE)
            await live.subscribe("cart", CART_STATUS, {"id": gid("Cart", cart.id)})
            assert await next_status(live, "cart", "cartStatus") == "OPEN"

            # when the shopper checks out through the first process
            await http.execute(
                CHECKOUT, checkout_input(cart, PaymentType.ON_ACCOUNT), token=shopper
            )

            # then the subscriber of the second hears it (through LISTEN/NOTIFY)
            entered = await live.data("queue")
            pending = await next_status(live, "cart", "cartStatus")
    assert entered["cartsToApprove"]["change"] == "ENTERED"
    assert pending == "PENDING_APPROVAL"


async def test_over_http_a_subscription_is_refused(
    http: GraphQLClient, session: AsyncSession
) -> None:
    # given a shopper's cart
    shopper, _, cart = await approval_world(http, session)

    # when the shopper posts a subscription as a request
    errors = await http.errors(CART_STATUS, {"id": gid("Cart", cart.id)}, token=shopper)

    # then it is refused, pointing at the websocket, rather than failing or held open
    assert [(e["message"], e["extensions"]["code"]) for e in errors] == [
        ("Subscribe over a websocket on /graphql (graphql-transport-ws)", "BAD_REQUEST")
    ]


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")
async def test_graphiql_subscribes_in_a_real_browser(
    one_worker: LiveServer, http: GraphQLClient, session: AsyncSession
) -> None:
    if not GRAPHIQL_ASSETS.is_dir():
        pytest.skip("GraphiQL's assets could not be installed (`make graphiql-assets`)")
    # given the approver's token in GraphiQL's Headers tab
    _, approver, cart = await approval_world(http, session)
    headers = json.dumps({"Authorization": f"Bearer {approver}"})

    # when they run a subscription to the shopper's cart
    cart_id = gid("Cart", cart.id)
    query = f'subscription Watch {{ cartStatus(id: "{cart_id}") {{ id status }} }}'
    shown = node_tool("graphiql.mjs", f"{one_worker.url}/graphql", query, headers)

    # then GraphiQL subscribed over the websocket as them, and shows the cart as it is
    assert json.loads(shown).get("data") == {"cartStatus": {"id": cart_id, "status": "OPEN"}}, shown
