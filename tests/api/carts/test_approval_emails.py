"""checkoutCart, approveCart, rejectCart: the approval e-mails in the outbox (CM10 "E-Mail
Approver"; issue #6 "Approvals")."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from domain.enums import CreditAction, MembershipRole
from models import Account, Cart, OutboxEmail
from tests.factories import PASSWORD, make_account, make_cart, make_contact, make_product
from tests.graphql_client import GraphQLClient, gid

CHECKOUT = """
mutation Checkout($input: CheckoutCartInput!) {
  checkoutCart(input: $input) { cart { status } errors { field code message } }
}
"""
APPROVE = """
mutation Approve($input: ApproveCartInput!) {
  approveCart(input: $input) { order { number } errors { field code message } }
}
"""
REJECT = """
mutation Reject($input: RejectCartInput!) {
  rejectCart(input: $input) { cart { status } errors { field code message } }
}
"""


async def outbox(session: AsyncSession) -> list[tuple[str, list[str], str]]:
    """(template, recipients, subject) of every queued e-mail, oldest first."""
    rows = await session.scalars(select(OutboxEmail).order_by(col(OutboxEmail.id)))
    return [(row.template, row.to, row.subject) for row in rows]


async def bodies(session: AsyncSession) -> list[str]:
    return [row.body for row in await session.scalars(select(OutboxEmail))]


async def joe_and_mary(
    session: AsyncSession, *, joe_emailed: bool = True, mary_emails: bool = True, **account: object
) -> tuple[Account, Cart]:
    """Joe approves Mary's carts; each membership's "E-Mail Approver" as asked. Mary has an
    open 150.00 cart called "Workshop restock"."""
    abc = await make_account(session, code="ABC1234", payment_types=["ON_ACCOUNT"], **account)
    joe = await make_contact(
        session,
        account=abc,
        username="joe",
        name="Joe",
        email="joe@example.com",
        role=MembershipRole.APPROVER,
        membership={"approve_assigned": True, "email_approver": joe_emailed},
    )
    mary = await make_contact(
        session,
        account=abc,
        username="mary",
        name="Mary",
        email="mary@example.com",
        membership={"cart_approver_id": joe.id, "email_approver": mary_emails},
    )
    product = await make_product(session, level_prices={"A": "50.00"})
    cart = await make_cart(
        session, account=abc, contact=mary, name="Workshop restock", lines=[(product, 3, "50.00")]
    )
    return abc, cart


async def submitted(client: GraphQLClient, session: AsyncSession, cart: Cart) -> None:
    """Mary submits the cart, and it waits for Joe."""
    data = await client.execute(
        CHECKOUT,
        {"input": {"cartId": gid("Cart", cart.id), "paymentType": "ON_ACCOUNT"}},
        token=await client.login("mary", PASSWORD),
    )
    assert data["checkoutCart"] == {"cart": {"status": "PENDING_APPROVAL"}, "errors": []}


async def test_the_approver_is_emailed_when_both_memberships_say_so(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Joe and Mary, both with "E-Mail Approver"
    _, cart = await joe_and_mary(session)

    # when Mary submits her cart
    await submitted(client, session, cart)

    # then Joe is told
    assert await outbox(session) == [
        (
            "cart_approval_requested",
            ["joe@example.com"],
            "Mary's cart Workshop restock waits for your approval",
        )
    ]
    (body,) = await bodies(session)
    assert 'Mary submitted the cart "Workshop restock" (150.00) of account ABC1234' in body


@pytest.mark.parametrize(
    ("joe_emailed", "mary_emails"),
    [(False, True), (True, False)],
    ids=["not on the approver's membership", "not on the shopper's membership"],
)
async def test_the_approver_is_not_emailed_unless_both_say_so(
    client: GraphQLClient, session: AsyncSession, joe_emailed: bool, mary_emails: bool
) -> None:
    # given "E-Mail Approver" on only one of the two memberships
    _, cart = await joe_and_mary(session, joe_emailed=joe_emailed, mary_emails=mary_emails)

    # when Mary submits her cart
    await submitted(client, session, cart)

    # then nobody is e-mailed
    assert await outbox(session) == []


async def test_the_shopper_is_told_of_an_approval(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Mary's cart waiting for Joe (who is not e-mailed)
    _, cart = await joe_and_mary(session, joe_emailed=False)
    await submitted(client, session, cart)

    # when Joe approves it
    data = await client.execute(
        APPROVE,
        {"input": {"cartId": gid("Cart", cart.id), "comment": "OK for May"}},
        token=await client.login("joe", PASSWORD),
    )

    # then Mary is told, with the order's number and Joe's comment
    number = data["approveCart"]["order"]["number"]
    assert await outbox(session) == [
        ("cart_approved", ["mary@example.com"], "Your cart Workshop restock was approved")
    ]
    (body,) = await bodies(session)
    assert f'Joe approved your cart "Workshop restock"; it is now order {number} (150.00)' in body
    assert "OK for May" in body


async def test_the_shopper_is_told_of_a_rejection_and_why(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Mary's cart waiting for Joe (who is not e-mailed)
    _, cart = await joe_and_mary(session, joe_emailed=False)
    await submitted(client, session, cart)

    # when Joe rejects it
    data = await client.execute(
        REJECT,
        {"input": {"cartId": gid("Cart", cart.id), "reason": "Use the Site 4 budget"}},
        token=await client.login("joe", PASSWORD),
    )

    # then Mary is told why
    assert data["rejectCart"] == {"cart": {"status": "OPEN"}, "errors": []}
    assert await outbox(session) == [
        ("cart_rejected", ["mary@example.com"], "Your cart Workshop restock was not approved")
    ]
    (body,) = await bodies(session)
    assert "Reason: Use the Site 4 budget" in body


async def test_a_refused_approval_emails_nobody(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Mary's cart waiting for Joe, at an account put on hold (blocking) since
    account, cart = await joe_and_mary(
        session, joe_emailed=False, on_hold_action=CreditAction.BLOCK
    )
    await submitted(client, session, cart)
    account.is_on_hold = True
    session.add(account)
    await session.commit()

    # when Joe tries to approve it
    data = await client.execute(
        APPROVE,
        {"input": {"cartId": gid("Cart", cart.id)}},
        token=await client.login("joe", PASSWORD),
    )

    # then the approval is refused and Mary is not e-mailed
    assert data["approveCart"] == {
        "order": None,
        "errors": [
            {
                "field": None,
                "code": "BLOCKED",
                "message": "The account is on hold; ordering is blocked",
            }
        ],
    }
    assert await outbox(session) == []
