"""Budgets at checkout (issue #16 §2): a BLOCK budget refuses, a REQUIRE_APPROVAL one routes the
cart to an approver whose yes lets it through; the preview and the approver's queue show the
budget's state; pending carts count, the previous period does not; two checkouts at once do not
both spend one budget."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from domain.budgets import BudgetPeriod, BudgetScope, OverBudgetAction
from domain.enums import CartStatus, MembershipRole, PaymentType, WorkerRole
from models import Account, AccountMembership, Cart, Contact, Order, Product
from models.types import utcnow
from tests.api.carts.test_rep_as_creator import ADD_LINES, CREATE_CART, SWITCH
from tests.conftest import ClientWith, StatementCounter
from tests.factories import (
    PASSWORD,
    TEST_SECRET_KEY,
    make_account,
    make_address,
    make_budget,
    make_cart,
    make_contact,
    make_order,
    make_product,
    make_worker,
)
from tests.graphql_client import GraphQLClient, gid

CHECK = "spent pending remaining wouldExceed decision budget { scope amount }"
PREVIEW = f"""
query Preview($id: ID!) {{
  cart(id: $id) {{
    checkoutPreview {{
      outcome budgetDecision budgets {{ {CHECK} }} errors {{ field code message }}
    }}
  }}
}}
"""
CHECKOUT = """
mutation Checkout($input: CheckoutCartInput!) {
  checkoutCart(input: $input) { cart { status } order { total } errors { field code message } }
}
"""
TO_APPROVE = f"""
query {{ cartsToApprove {{ nodes {{ name total budgets {{ {CHECK} }} }} }} }}
"""
APPROVE = """
mutation Approve($input: ApproveCartInput!) {
  approveCart(input: $input) { order { total } errors { field code message } }
}
"""


@dataclass
class World:
    account: Account
    sam: Contact
    kim: Contact
    product: Product
    tokens: dict[str, str]

    async def cart(self, session: AsyncSession, who: Contact, quantity: int, **values: Any) -> Cart:
        """A cart of `quantity` x 10.00."""
        return await make_cart(
            session,
            account=self.account,
            contact=who,
            lines=[(self.product, quantity, "10.00")],
            **values,
        )


async def world(client: GraphQLClient, session: AsyncSession) -> World:
    """Shoppers Sam and Kim (no approver of their own, no approval limits) and Jane, who
    approves every cart of the account."""
    account = await make_account(session, code="A1")
    await make_address(session, account=account, is_primary=True)
    sam = await make_contact(session, account=account, username="sam", name="Sam")
    kim = await make_contact(session, account=account, username="kim", name="Kim")
    await make_contact(
        session,
        account=account,
        username="jane",
        role=MembershipRole.APPROVER,
        membership={"approve_all": True},
    )
    product = await make_product(session, level_prices={"A": "10.00"})
    tokens = {name: await client.login(name, PASSWORD) for name in ("sam", "kim", "jane")}
    return World(account=account, sam=sam, kim=kim, product=product, tokens=tokens)


def checkout(cart: Cart) -> dict[str, Any]:
    return {"input": {"cartId": gid("Cart", cart.id), "paymentType": PaymentType.ON_ACCOUNT.name}}


async def preview(client: GraphQLClient, cart: Cart, token: str) -> dict[str, Any]:
    data = await client.execute(PREVIEW, {"id": gid("Cart", cart.id)}, token=token)
    result: dict[str, Any] = data["cart"]["checkoutPreview"]
    return result


async def order_count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Order)) or 0)


OVER_BUDGET = {
    "field": ["cartId"],
    "code": "OVER_BUDGET",
    "message": "The cart is over budget: 20.00 of 100.00 is left",
}


async def test_a_block_budget_refuses_the_cart_and_the_preview_says_so(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a monthly account budget of 100.00 that blocks, 80.00 ordered this month, and
    # Sam's cart of 30.00
    w = await world(client, session)
    await make_budget(session, account=w.account, amount="100.00")
    await make_order(session, account=w.account, contact=w.kim, subtotal="80.00")
    cart = await w.cart(session, w.sam, 3)

    # when Sam previews the checkout
    seen = await preview(client, cart, w.tokens["sam"])

    # then it shows 20.00 left and the refusal
    assert seen == {
        "outcome": "REFUSED",
        "budgetDecision": "BLOCKED",
        "budgets": [
            {
                "spent": "80.00",
                "pending": "0.00",
                "remaining": "20.00",
                "wouldExceed": True,
                "decision": "BLOCKED",
                "budget": {"scope": "ACCOUNT", "amount": "100.00"},
            }
        ],
        "errors": [OVER_BUDGET],
    }

    # when Sam checks out, then it is refused and no order is made
    data = await client.execute(CHECKOUT, checkout(cart), token=w.tokens["sam"])
    assert data["checkoutCart"] == {"cart": None, "order": None, "errors": [OVER_BUDGET]}
    assert await order_count(session) == 1


async def test_orders_of_the_previous_period_and_inactive_budgets_do_not_count(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a monthly budget of 100.00 with 500.00 ordered last month, an inactive budget
    # of 1.00, and a CUSTOM budget of 1.00 that ended yesterday
    w = await world(client, session)
    today = utcnow().date()
    await make_budget(session, account=w.account, amount="100.00")
    await make_budget(session, account=w.account, amount="1.00", is_active=False)
    await make_budget(
        session,
        account=w.account,
        amount="1.00",
        period=BudgetPeriod.CUSTOM,
        starts_on=today - timedelta(days=10),
        ends_on=today - timedelta(days=1),
    )
    month_start = utcnow().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    last_month = month_start - timedelta(seconds=1)
    await make_order(
        session, account=w.account, contact=w.sam, subtotal="500.00", created_at=last_month
    )
    cart = await w.cart(session, w.sam, 3)

    # when Sam previews and checks out the 30.00 cart
    seen = await preview(client, cart, w.tokens["sam"])
    data = await client.execute(CHECKOUT, checkout(cart), token=w.tokens["sam"])

    # then only this month's budget counted, with nothing spent, and the order is made
    assert (seen["outcome"], seen["budgetDecision"]) == ("ORDER", "OK")
    assert [(b["spent"], b["remaining"], b["decision"]) for b in seen["budgets"]] == [
        ("0.00", "100.00", "OK")
    ]
    assert data["checkoutCart"] == {
        "cart": {"status": "CHECKED_OUT"},
        "order": {"total": "30.00"},
        "errors": [],
    }


async def test_pending_approvals_count_against_the_budget(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a budget of 100.00 and Kim's cart of 80.00 waiting for approval
    w = await world(client, session)
    await make_budget(session, account=w.account, amount="100.00")
    await w.cart(session, w.kim, 8, status=CartStatus.PENDING_APPROVAL)
    cart = await w.cart(session, w.sam, 3)

    # when Sam previews his 30.00 cart
    seen = await preview(client, cart, w.tokens["sam"])

    # then Kim's cart is pending, 20.00 is left, and his cart is refused
    assert [(b["spent"], b["pending"], b["remaining"]) for b in seen["budgets"]] == [
        ("0.00", "80.00", "20.00")
    ]
    assert (seen["budgetDecision"], seen["errors"]) == ("BLOCKED", [OVER_BUDGET])


async def test_a_require_approval_budget_routes_the_cart_and_the_approvers_yes_passes(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a budget of 25.00 for Sam's membership that asks for approval, and his 30.00 cart
    w = await world(client, session)
    membership = await session.scalar(
        select(AccountMembership).where(AccountMembership.contact_id == w.sam.id)  # type: ignore[arg-type]
    )
    assert membership is not None
    await make_budget(
        session,
        account=w.account,
        amount="25.00",
        scope=BudgetScope.MEMBERSHIP,
        membership_id=membership.id,
        over_budget_action=OverBudgetAction.REQUIRE_APPROVAL,
    )
    cart = await w.cart(session, w.sam, 3, name="Sam's")

    # when Sam checks out
    data = await client.execute(CHECKOUT, checkout(cart), token=w.tokens["sam"])

    # then the cart waits for approval, though Sam has no approval limits of his own
    assert data["checkoutCart"] == {
        "cart": {"status": "PENDING_APPROVAL"},
        "order": None,
        "errors": [],
    }
    # and Jane sees it with the budget's state (the cart itself not counted as pending)
    queue = await client.execute(TO_APPROVE, token=w.tokens["jane"])
    assert queue["cartsToApprove"]["nodes"] == [
        {
            "name": "Sam's",
            "total": "30.00",
            "budgets": [
                {
                    "spent": "0.00",
                    "pending": "0.00",
                    "remaining": "25.00",
                    "wouldExceed": True,
                    "decision": "NEEDS_APPROVAL",
                    "budget": {"scope": "MEMBERSHIP", "amount": "25.00"},
                }
            ],
        }
    ]
    # and Kim, whom the budget is not about, checks out a 30.00 cart at once
    kims = await w.cart(session, w.kim, 3)
    data = await client.execute(CHECKOUT, checkout(kims), token=w.tokens["kim"])
    assert data["checkoutCart"]["order"] == {"total": "30.00"}

    # when Jane approves Sam's cart, then it becomes an order
    approved = await client.execute(
        APPROVE, {"input": {"cartId": gid("Cart", cart.id)}}, token=w.tokens["jane"]
    )
    assert approved["approveCart"] == {"order": {"total": "30.00"}, "errors": []}


async def test_an_approvers_yes_does_not_pass_a_block_budget(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Sam's 30.00 cart waiting for approval, then 80.00 ordered against a BLOCK budget
    # of 100.00
    w = await world(client, session)
    cart = await w.cart(
        session, w.sam, 3, status=CartStatus.PENDING_APPROVAL, payment_type=PaymentType.ON_ACCOUNT
    )
    await make_budget(session, account=w.account, amount="100.00")
    await make_order(session, account=w.account, contact=w.kim, subtotal="80.00")

    # when Jane approves it
    data = await client.execute(
        APPROVE, {"input": {"cartId": gid("Cart", cart.id)}}, token=w.tokens["jane"]
    )

    # then it is refused: the budget blocks whoever decides
    assert data["approveCart"] == {"order": None, "errors": [OVER_BUDGET]}
    assert await order_count(session) == 1


async def test_concurrent_checkouts_do_not_overspend_a_block_budget(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a budget of 50.00 that blocks, and four shoppers' carts of 30.00 each
    w = await world(client, session)
    await make_budget(session, account=w.account, amount="50.00")
    shoppers = [w.sam, w.kim]
    for name in ("lee", "pat"):
        shoppers.append(await make_contact(session, account=w.account, username=name))
        w.tokens[name] = await client.login(name, PASSWORD)
    tokens = [w.tokens[name] for name in ("sam", "kim", "lee", "pat")]
    carts = [await w.cart(session, shopper, 3) for shopper in shoppers]

    # when all check out at the same time
    results = await asyncio.gather(
        *(
            client.execute(CHECKOUT, checkout(cart), token=token)
            for cart, token in zip(carts, tokens, strict=True)
        )
    )

    # then one order was made and the others were refused: 20.00 was left for them
    errors = sorted(str(r["checkoutCart"]["errors"]) for r in results)
    refused = {
        "field": ["cartId"],
        "code": "OVER_BUDGET",
        "message": "The cart is over budget: 20.00 of 50.00 is left",
    }
    assert errors == ["[]"] + [str([refused])] * 3
    assert await order_count(session) == 1


async def test_a_worker_passes_a_require_approval_budget_but_not_a_block_one(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given rep1 acting for its account R1, whose budgets of 10.00 ask for approval
    account = await make_account(session, code="R1", sales_rep_code="REP01")
    await make_address(session, account=account, is_primary=True)
    product = await make_product(session, level_prices={"A": "8.00"})
    await make_worker(session, username="rep1", role=WorkerRole.SALES_REP, rep_code="REP01")
    await make_budget(
        session,
        account=account,
        amount="10.00",
        over_budget_action=OverBudgetAction.REQUIRE_APPROVAL,
    )
    token = await client.login("rep1", PASSWORD)
    await client.execute(SWITCH, {"input": {"accountId": gid("Account", account.id)}}, token=token)

    async def rep_checkout() -> dict[str, Any]:
        created = await client.execute(CREATE_CART, token=token)
        cart_id = created["createCart"]["cart"]["id"]
        line = {"productId": gid("Product", product.id), "quantity": 2}
        await client.execute(
            ADD_LINES, {"input": {"cartId": cart_id, "lines": [line]}}, token=token
        )
        request = {"input": {"cartId": cart_id, "paymentType": "ON_ACCOUNT"}}
        data = await client.execute(CHECKOUT, request, token=token)
        result: dict[str, Any] = data["checkoutCart"]
        return result

    # when the rep checks out 16.00, then the order is placed: workers have no approver, and
    # decide as one
    assert (await rep_checkout())["order"] == {"total": "16.00"}

    # when a BLOCK budget of 20.00 is added and the rep checks out 16.00 more, then it is refused
    await make_budget(session, account=account, amount="20.00")
    assert (await rep_checkout())["errors"] == [
        {
            "field": ["cartId"],
            "code": "OVER_BUDGET",
            "message": "The cart is over budget: 4.00 of 20.00 is left",
        }
    ]


async def test_the_platform_time_zone_says_which_day_it_is(
    client: GraphQLClient, session: AsyncSession, client_with: ClientWith
) -> None:
    # given a BLOCK budget of 1.00 for one day: today in Kiritimati (UTC+14), which is never
    # today at UTC-12
    w = await world(client, session)
    kiritimati = datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    await make_budget(
        session,
        account=w.account,
        amount="1.00",
        period=BudgetPeriod.CUSTOM,
        starts_on=kiritimati,
        ends_on=kiritimati,
    )
    cart = await w.cart(session, w.sam, 3)

    # when Sam previews his cart on a platform in each time zone
    decisions = {}
    for zone in ("Pacific/Kiritimati", "Etc/GMT+12"):
        async with client_with(time_zone=zone) as zoned:
            decisions[zone] = (await preview(zoned, cart, w.tokens["sam"]))["budgetDecision"]

    # then the budget holds only where its day is today
    assert decisions == {"Pacific/Kiritimati": "BLOCKED", "Etc/GMT+12": "OK"}


def test_an_unknown_time_zone_fails_at_start_up() -> None:
    with pytest.raises(ValidationError, match="TIME_ZONE 'Mars/Olympus' is no IANA time zone"):
        Settings(secret_key=TEST_SECRET_KEY, time_zone="Mars/Olympus")


async def test_the_approvers_queue_reads_its_budgets_in_a_fixed_number_of_statements(
    client: GraphQLClient, session: AsyncSession, sql_counter: StatementCounter
) -> None:
    # given two budgets and carts waiting for approval
    w = await world(client, session)
    await make_budget(session, account=w.account, amount="100.00")
    await make_budget(session, account=w.account, amount="200.00")

    async def statements_for(carts: int) -> int:
        for _ in range(carts):
            shopper = await make_contact(session, account=w.account)
            await w.cart(session, shopper, 1, status=CartStatus.PENDING_APPROVAL)
        sql_counter.reset()
        queue = await client.execute(TO_APPROVE, token=w.tokens["jane"])
        assert all(len(cart["budgets"]) == 2 for cart in queue["cartsToApprove"]["nodes"])
        return sql_counter.count

    # when Jane reads her queue of 2 carts, then of 10, with every cart's budgets
    # then it takes as many statements (the spend of all of them is one batch)
    assert await statements_for(2) == await statements_for(8)
