"""Each change records its webhook event in its own transaction (issue #16 §3): one delivery
per subscribed active endpoint; a refused change records nothing, and nobody subscribed means
no event at all."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from domain.enums import ApiKeyScope, PaymentType, WorkerRole
from domain.webhooks import SUBSCRIBABLE, WebhookEventKind
from models import Account, WebhookDelivery, WebhookEndpoint, WebhookEvent
from tests.api.carts.test_approvals import APPROVE, REJECT, abc
from tests.api.carts.test_checkout_cart import CHECKOUT, arrange, checkout_input
from tests.api.enquiry.test_pay_invoices import PAY
from tests.api.enquiry.test_pay_invoices import arrange as arrange_invoices
from tests.api.quotes import world as quote_world
from tests.conftest import StatementCounter
from tests.factories import PASSWORD, make_account, make_api_key, make_contact, make_worker
from tests.graphql_client import GraphQLClient, gid

UPDATE_ACCOUNT = """
mutation($input: UpdateAccountInput!) { updateAccount(input: $input) { errors { code } } }
"""
CREATE_ACCOUNT = """
mutation($input: CreateAccountInput!) { createAccount(input: $input) { errors { code } } }
"""
SYNC_ACCOUNTS = """
mutation($input: SyncAccountsInput!) {
  syncAccounts(input: $input) { errors { code } results { outcome } }
}
"""


async def subscribe(
    session: AsyncSession,
    *kinds: WebhookEventKind,
    is_active: bool = True,
    url: str = "https://erp.example.com/hooks",
) -> WebhookEndpoint:
    """An endpoint subscribed to `kinds` (default: every event one may subscribe to)."""
    endpoint = WebhookEndpoint(
        url=url,
        secret="whsec_test",
        event_kinds=[kind.value for kind in kinds or SUBSCRIBABLE],
        is_active=is_active,
        created_by="worker:1",
    )
    session.add(endpoint)
    await session.commit()
    return endpoint


async def recorded(session: AsyncSession) -> list[tuple[str, dict[str, Any], int]]:
    """Every event, oldest first: its kind, its data and how many deliveries it has."""
    await session.rollback()  # read what the API committed
    deliveries = (
        select(func.count())
        .where(col(WebhookDelivery.event_id) == col(WebhookEvent.id))
        .scalar_subquery()
    )
    rows = await session.execute(select(WebhookEvent, deliveries).order_by(col(WebhookEvent.id)))
    return [(event.kind.value, event.payload, count) for event, count in rows.all()]


def kinds(events: list[tuple[str, dict[str, Any], int]]) -> list[str]:
    return [kind for kind, _, _ in events]


async def test_a_placed_order_records_the_order_and_its_exports_once_per_endpoint(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given two endpoints for everything, one inactive, one for accounts only
    await subscribe(session)
    await subscribe(session, is_active=False)
    await subscribe(session, WebhookEventKind.ACCOUNT_CREATED)
    token, cart, account = await arrange(client, session)
    await session.rollback()

    # when the shopper checks out
    data = await client.execute(
        CHECKOUT.replace("order {\n      id status", "order {\n      id number status"),
        checkout_input(cart, PaymentType.ON_ACCOUNT),
        token=token,
    )

    # then the order and its exports (the new account travels with it) are recorded, each for
    # the one active endpoint subscribed
    order = data["checkoutCart"]["order"]
    events = await recorded(session)
    assert kinds(events) == ["ORDER_PLACED", "EXPORT_QUEUED", "EXPORT_QUEUED"]
    assert events[0] == (
        "ORDER_PLACED",
        {
            "id": order["id"],
            "number": order["number"],
            "accountId": gid("Account", account.id),
            "status": "PLACED",
            "total": "30.00",
        },
        1,
    )
    assert [(data["kind"], count) for _, data, count in events[1:]] == [
        ("ACCOUNT", 1),
        ("ORDER", 1),
    ]


async def test_submitting_approving_and_rejecting_carts_are_recorded(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given CM10's pending carts and an endpoint for everything
    world = await abc(session)
    await subscribe(session)
    joe = await client.login("joe", PASSWORD)

    # when Joe approves Mary's cart and rejects Kathy's
    approved = await client.execute(
        APPROVE, {"input": {"cartId": gid("Cart", world.carts["Mary"].id)}}, token=joe
    )
    rejected = await client.execute(
        REJECT,
        {"input": {"cartId": gid("Cart", world.carts["Kathy"].id), "reason": "Too many"}},
        token=joe,
    )

    # then the approval (with its order and export) and the rejection are recorded
    assert approved["approveCart"]["errors"] == rejected["rejectCart"]["errors"] == []
    events = await recorded(session)
    assert kinds(events) == [
        "ORDER_PLACED",
        "EXPORT_QUEUED",
        "EXPORT_QUEUED",
        "CART_APPROVED",
        "CART_REJECTED",
    ]
    assert events[3][1] == {
        "id": gid("Cart", world.carts["Mary"].id),
        "accountId": gid("Account", world.account.id),
        "status": "CHECKED_OUT",
        "total": "100.00",
    }
    assert events[4][1]["status"] == "OPEN"


async def test_a_cart_sent_for_approval_is_recorded(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a shopper whose carts need approval, and an endpoint for carts submitted
    approver = await make_contact(session, account=await make_account(session))
    token, cart, _ = await arrange(
        client,
        session,
        membership={"cart_approver_id": approver.id, "no_approval_below_value": Decimal("20")},
    )
    await subscribe(session, WebhookEventKind.CART_SUBMITTED)

    # when the shopper checks out
    await client.execute(CHECKOUT, checkout_input(cart, PaymentType.ON_ACCOUNT), token=token)

    # then the submission is recorded
    events = await recorded(session)
    assert kinds(events) == ["CART_SUBMITTED"]
    assert events[0][1]["status"] == "PENDING_APPROVAL"


async def test_a_payment_is_recorded_with_its_export(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Mary's open invoices and an endpoint for everything
    world = await arrange_invoices(client, session)
    await subscribe(session)

    # when she pays one by direct deposit
    data = await client.execute(
        PAY,
        {"input": {"invoices": [{"invoiceId": world["second"]}], "paymentType": "DIRECT_DEPOSIT"}},
        token=world["token"],
    )

    # then the payment and its export are recorded
    events = await recorded(session)
    assert kinds(events) == ["PAYMENT_RECORDED", "EXPORT_QUEUED"]
    assert events[0][1] == {
        "id": data["payInvoices"]["payment"]["id"],
        "accountId": gid("Account", world["account"].id),
        "paymentType": "DIRECT_DEPOSIT",
        "amount": "100.00",
    }
    assert events[1][1]["kind"] == "PAYMENT"


async def test_accounts_created_and_changed_by_staff_and_by_the_erp_are_recorded(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an endpoint for accounts, staff and an integrator
    await subscribe(session, WebhookEventKind.ACCOUNT_CREATED, WebhookEventKind.ACCOUNT_UPDATED)
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    admin = await client.login("admin", PASSWORD)
    key = await make_api_key(session, scopes=[ApiKeyScope.SYNC])

    # when staff create and change an account, and the ERP syncs one new and one changed
    await client.execute(
        CREATE_ACCOUNT, {"input": {"code": "NEW1", "companyName": "New Co"}}, token=admin
    )
    created = await session.scalar(select(Account).where(col(Account.code) == "NEW1"))
    assert created is not None
    await client.execute(
        UPDATE_ACCOUNT,
        {"input": {"id": gid("Account", created.id), "companyName": "Renamed Co"}},
        token=admin,
    )
    records = [
        {"erpKey": "E1", "code": "ERP1", "companyName": "From the ERP"},
        {"erpKey": "E1", "code": "ERP1", "companyName": "Changed in the ERP"},
    ]
    for record in records:
        await client.execute(SYNC_ACCOUNTS, {"input": {"records": [record]}}, token=key)
    # and the same record again, which changes nothing
    await client.execute(SYNC_ACCOUNTS, {"input": {"records": [records[1]]}}, token=key)

    # then four events, in order, naming each account
    events = await recorded(session)
    assert [(kind, data["code"], data["companyName"]) for kind, data, _ in events] == [
        ("ACCOUNT_CREATED", "NEW1", "New Co"),
        ("ACCOUNT_UPDATED", "NEW1", "Renamed Co"),
        ("ACCOUNT_CREATED", "ERP1", "From the ERP"),
        ("ACCOUNT_UPDATED", "ERP1", "Changed in the ERP"),
    ]
    assert events[2][1]["erpKey"] == "E1"


async def test_a_refused_change_records_nothing(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an endpoint for everything and a shopper's cart
    await subscribe(session)
    token, cart, account = await arrange(client, session)

    # when checkout is refused (a payment type the account lacks) and an account change is
    # refused after it was applied in memory (a duplicate code)
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    admin = await client.login("admin", PASSWORD)
    refused = await client.execute(
        CHECKOUT, checkout_input(cart, PaymentType.CREDIT_CARD), token=token
    )
    await make_account(session, code="TAKEN")
    clash = await client.execute(
        UPDATE_ACCOUNT,
        {"input": {"id": gid("Account", account.id), "code": "TAKEN"}},
        token=admin,
    )

    # then both were refused and no event exists
    assert refused["checkoutCart"]["errors"] != []
    assert clash["updateAccount"]["errors"] != []
    assert await recorded(session) == []


async def test_nobody_subscribed_means_no_event(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an endpoint for payments only
    await subscribe(session, WebhookEventKind.PAYMENT_RECORDED)
    token, cart, _ = await arrange(client, session)

    # when an order is placed
    await client.execute(CHECKOUT, checkout_input(cart, PaymentType.ON_ACCOUNT), token=token)

    # then nothing was recorded
    assert await recorded(session) == []


async def test_the_endpoints_are_read_once_a_mutation_whatever_it_records(
    client: GraphQLClient, session: AsyncSession, sql_counter: StatementCounter
) -> None:
    # given an endpoint for everything and a shopper's cart of a new web account
    await subscribe(session)
    token, cart, _ = await arrange(client, session)
    sql_counter.reset()

    # when the checkout records an order and two exports
    await client.execute(CHECKOUT, checkout_input(cart, PaymentType.ON_ACCOUNT), token=token)

    # then the endpoints were read by one statement, and the three events written by three
    reads = [s for s in sql_counter.statements if s.lstrip().upper().startswith("SELECT")]
    writes = [s for s in sql_counter.statements if s.lstrip().upper().startswith("INSERT")]
    assert sum("FROM webhook_endpoint" in s for s in reads) == 1
    assert sum("INTO webhook_event " in s for s in writes) == 3
    assert len(await recorded(session)) == 3


async def test_each_step_of_a_quote_records_quote_changed_with_its_export(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an endpoint for quote changes and export queueing
    await subscribe(session, WebhookEventKind.QUOTE_CHANGED, WebhookEventKind.EXPORT_QUEUED)
    world = await quote_world.arrange(client, session)

    # when Mary requests a quote, the rep prices it and Mary accepts it
    quote = await quote_world.sent(client, world)
    accepted = await quote_world.answer(client, world.mary_token, "accept", quote["id"])

    # then each step raised QUOTE_CHANGED (after the export it queued), with the step and state
    assert accepted["errors"] == []
    events = await recorded(session)
    assert kinds(events) == ["EXPORT_QUEUED", "QUOTE_CHANGED"] * 3
    changes = [data for kind, data, _ in events if kind == "QUOTE_CHANGED"]
    assert [(c["id"], c["action"], c["status"]) for c in changes] == [
        (quote["id"], "REQUEST", "REQUESTED"),
        (quote["id"], "PRICE", "SENT"),
        (quote["id"], "ACCEPT", "ACCEPTED"),
    ]
