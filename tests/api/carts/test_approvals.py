"""cartsToApprove, approveCart, rejectCart: CM10's ABC1234 example through the API."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import CartStatus, CreditAction, MembershipRole, PaymentType
from models import Account, Cart, Contact
from tests.factories import PASSWORD, make_account, make_cart, make_contact, make_product
from tests.graphql_client import GraphQLClient, gid

TO_APPROVE = """
query { cartsToApprove { totalCount nodes { contact { name } total } } }
"""
APPROVE = """
mutation Approve($input: ApproveCartInput!) {
  approveCart(input: $input) {
    cart { status history { nodes { kind comment contact { name } } } }
    order { status total createdByContact { name } approvedBy { name } }
    errors { field code message }
  }
}
"""
REJECT = """
mutation Reject($input: RejectCartInput!) {
  rejectCart(input: $input) {
    cart { status history { nodes { kind comment contact { name } } } }
    errors { field code message }
  }
}
"""


class ABC:
    """Account ABC1234: Joe approves assigned (Mary, Kathy, Bill), Jane approves all and is
    Frank's approver. Each shopper has a cart waiting for approval."""

    account: Account
    people: dict[str, Contact]
    carts: dict[str, Cart]


async def abc(session: AsyncSession, *, joe_limit: Decimal | None = None) -> ABC:
    world = ABC()
    world.account = await make_account(session, code="ABC1234")
    world.people = {}
    for name, rights in (
        ("Joe", {"approve_assigned": True, "maximum_approval_value": joe_limit}),
        ("Jane", {"approve_all": True}),
    ):
        world.people[name] = await make_contact(
            session,
            account=world.account,
            username=name.lower(),
            name=name,
            role=MembershipRole.APPROVER,
            membership=rights,
        )
    for name, approver in (("Mary", "Joe"), ("Kathy", "Joe"), ("Bill", "Joe"), ("Frank", "Jane")):
        world.people[name] = await make_contact(
            session,
            account=world.account,
            username=name.lower(),
            name=name,
            membership={"cart_approver_id": world.people[approver].id},
        )
    product = await make_product(session, level_prices={"A": "100.00"})
    world.carts = {
        name: await make_cart(
            session,
            account=world.account,
            contact=world.people[name],
            lines=[(product, quantity, "100.00")],
            status=CartStatus.PENDING_APPROVAL,
            payment_type=PaymentType.ON_ACCOUNT,
        )
        for quantity, name in enumerate(("Mary", "Kathy", "Bill", "Frank"), start=1)
    }
    return world


async def test_joe_sees_his_shoppers_and_jane_sees_everyone(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given CM10's example
    await abc(session)

    # when Joe and Jane list the carts to approve
    joe = await client.execute(TO_APPROVE, token=await client.login("joe", PASSWORD))
    jane = await client.execute(TO_APPROVE, token=await client.login("jane", PASSWORD))

    # then Joe never sees Frank's cart; Jane sees all four
    assert [n["contact"]["name"] for n in joe["cartsToApprove"]["nodes"]] == [
        "Mary",
        "Kathy",
        "Bill",
    ]
    assert [n["contact"]["name"] for n in jane["cartsToApprove"]["nodes"]] == [
        "Mary",
        "Kathy",
        "Bill",
        "Frank",
    ]
    assert jane["cartsToApprove"]["totalCount"] == 4


async def test_approving_creates_the_order_once(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Mary's pending cart
    world = await abc(session)
    joe = await client.login("joe", PASSWORD)
    jane = await client.login("jane", PASSWORD)
    request = {"input": {"cartId": gid("Cart", world.carts["Mary"].id), "comment": "OK for May"}}

    # when Joe approves it, and then both approvers try again
    data = await client.execute(APPROVE, request, token=joe)
    again = await client.execute(APPROVE, request, token=joe)
    late = await client.execute(APPROVE, request, token=jane)

    # then Mary's order exists, approved by Joe, and the history says so
    assert data["approveCart"] == {
        "cart": {
            "status": "CHECKED_OUT",
            "history": {
                "nodes": [{"kind": "APPROVED", "comment": "OK for May", "contact": {"name": "Joe"}}]
            },
        },
        "order": {
            "status": "PLACED",
            "total": "100.00",
            "createdByContact": {"name": "Mary"},
            "approvedBy": {"name": "Joe"},
        },
        "errors": [],
    }
    decided = {
        "field": ["cartId"],
        "code": "INVALID",
        "message": "The cart is not waiting for approval (it may have been decided already)",
    }
    assert again["approveCart"]["errors"] == [decided]
    assert late["approveCart"]["errors"] == [decided]


async def test_joe_cannot_approve_franks_cart(client: GraphQLClient, session: AsyncSession) -> None:
    world = await abc(session)

    data = await client.execute(
        APPROVE,
        {"input": {"cartId": gid("Cart", world.carts["Frank"].id)}},
        token=await client.login("joe", PASSWORD),
    )

    assert data["approveCart"]["errors"] == [
        {"field": ["cartId"], "code": "NOT_FOUND", "message": "No such cart"}
    ]


async def test_an_approver_is_held_to_their_own_maximum(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Joe may approve up to 150.00, and Kathy's cart is 200.00
    world = await abc(session, joe_limit=Decimal("150.00"))

    data = await client.execute(
        APPROVE,
        {"input": {"cartId": gid("Cart", world.carts["Kathy"].id)}},
        token=await client.login("joe", PASSWORD),
    )

    assert data["approveCart"]["errors"] == [
        {
            "field": ["cartId"],
            "code": "LIMIT_EXCEEDED",
            "message": "The cart value 200.00 is above your maximum approval value 150.00",
        }
    ]


async def test_nobody_approves_their_own_cart(client: GraphQLClient, session: AsyncSession) -> None:
    # given Jane (approve all) has a pending cart of her own
    world = await abc(session)
    product = await make_product(session, level_prices={"A": "1.00"})
    own = await make_cart(
        session,
        account=world.account,
        contact=world.people["Jane"],
        lines=[(product, 1, "1.00")],
        status=CartStatus.PENDING_APPROVAL,
        payment_type=PaymentType.ON_ACCOUNT,
    )

    data = await client.execute(
        APPROVE,
        {"input": {"cartId": gid("Cart", own.id)}},
        token=await client.login("jane", PASSWORD),
    )

    assert data["approveCart"]["errors"] == [
        {
            "field": ["cartId"],
            "code": "NOT_PERMITTED",
            "message": "You cannot approve your own cart",
        }
    ]


async def test_approval_checks_the_rules_again(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given the account was put on hold (BLOCK) after Bill submitted his cart
    world = await abc(session)
    await session.execute(
        update(Account).values(is_on_hold=True, on_hold_action=CreditAction.BLOCK)
    )
    await session.commit()

    data = await client.execute(
        APPROVE,
        {"input": {"cartId": gid("Cart", world.carts["Bill"].id)}},
        token=await client.login("jane", PASSWORD),
    )

    assert data["approveCart"]["errors"] == [
        {"field": None, "code": "BLOCKED", "message": "The account is on hold; ordering is blocked"}
    ]


async def test_a_rejected_cart_returns_to_its_shopper_with_the_reason(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Kathy's pending cart
    world = await abc(session)
    cart_id = gid("Cart", world.carts["Kathy"].id)
    joe = await client.login("joe", PASSWORD)

    # when Joe rejects it, twice
    data = await client.execute(
        REJECT, {"input": {"cartId": cart_id, "reason": "Too many pipes"}}, token=joe
    )
    again = await client.execute(REJECT, {"input": {"cartId": cart_id, "reason": "No"}}, token=joe)
    kathy = await client.execute(
        "query Cart($id: ID!) { cart(id: $id) { status history { nodes { kind comment } } } }",
        {"id": cart_id},
        token=await client.login("kathy", PASSWORD),
    )

    # then Kathy has her cart back and reads why; the second rejection is refused
    assert data["rejectCart"] == {
        "cart": {
            "status": "OPEN",
            "history": {
                "nodes": [
                    {"kind": "REJECTED", "comment": "Too many pipes", "contact": {"name": "Joe"}}
                ]
            },
        },
        "errors": [],
    }
    assert again["rejectCart"]["errors"] == [
        {
            "field": ["cartId"],
            "code": "INVALID",
            "message": "The cart is not waiting for approval (it may have been decided already)",
        }
    ]
    assert kathy == {
        "cart": {
            "status": "OPEN",
            "history": {"nodes": [{"kind": "REJECTED", "comment": "Too many pipes"}]},
        }
    }
