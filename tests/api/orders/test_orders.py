"""Viewer.orders, Account.orders, order(id:), Viewer.carts and cartsToApprove: who sees what,
and a constant number of SQL statements whatever the page size."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import CartStatus, MembershipRole, PaymentType
from models import Account, Contact
from tests.conftest import StatementCounter
from tests.factories import PASSWORD, make_account, make_cart, make_contact, make_product
from tests.graphql_client import GraphQLClient, gid

CHECKOUT = """
mutation Checkout($input: CheckoutCartInput!) {
  checkoutCart(input: $input) { order { id } errors { message } }
}
"""
VIEWER_ORDERS = """
query { viewer { orders { totalCount nodes { total createdByContact { name } } } } }
"""
ACCOUNT_ORDERS = """
query Orders($code: String!) {
  account(code: $code) {
    orders(first: 100) {
      totalCount
      nodes { total status shipTo { city } account { code } createdByContact { name }
              lines { sku productName quantity unitPrice lineTotal } }
    }
  }
}
"""
VIEWER_CARTS = """
query {
  viewer {
    carts(first: 100) {
      nodes {
        name total shipTo { city } account { code } contact { name } order { total }
        lines { sku productName quantity }
        history { kind contact { name } }
        checkoutPreview { outcome }
      }
    }
  }
}
"""
ORDER = "query Order($id: ID!) { order(id: $id) { total } }"


async def place_orders(
    client: GraphQLClient, session: AsyncSession, account: Account, contact: Contact, count: int
) -> list[str]:
    """`count` orders of the contact, each with two lines, placed through the API."""
    assert contact.username is not None
    token = await client.login(contact.username, PASSWORD)
    first = await make_product(session, level_prices={"A": "1.00"})
    second = await make_product(session, level_prices={"A": "2.00"})
    ids = []
    for _ in range(count):
        cart = await make_cart(
            session,
            account=account,
            contact=contact,
            lines=[(first, 1, "1.00"), (second, 2, "2.00")],
        )
        data = await client.execute(
            CHECKOUT,
            {"input": {"cartId": gid("Cart", cart.id), "paymentType": "ON_ACCOUNT"}},
            token=token,
        )
        ids.append(data["checkoutCart"]["order"]["id"])
    return ids


async def test_shoppers_see_their_orders_and_administrators_the_accounts(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given two shoppers with orders, and the account's administrator
    account = await make_account(session, code="SHOP1")
    mary = await make_contact(session, account=account, username="mary", name="Mary")
    bill = await make_contact(session, account=account, username="bill", name="Bill")
    await make_contact(session, account=account, username="boss", role=MembershipRole.ADMINISTRATOR)
    (marys,) = await place_orders(client, session, account, mary, 1)
    await place_orders(client, session, account, bill, 2)
    mary_token = await client.login("mary", PASSWORD)
    boss_token = await client.login("boss", PASSWORD)

    # when each asks
    mine = await client.execute(VIEWER_ORDERS, token=mary_token)
    marys_account = await client.execute(ACCOUNT_ORDERS, {"code": "SHOP1"}, token=mary_token)
    boss = await client.execute(ACCOUNT_ORDERS, {"code": "SHOP1"}, token=boss_token)
    bill_reads_marys = await client.execute(
        ORDER, {"id": marys}, token=await client.login("bill", PASSWORD)
    )
    boss_reads_marys = await client.execute(ORDER, {"id": marys}, token=boss_token)

    # then a shopper sees its own orders only; the administrator sees all
    assert mine["viewer"]["orders"] == {
        "totalCount": 1,
        "nodes": [{"total": "5.00", "createdByContact": {"name": "Mary"}}],
    }
    assert marys_account["account"]["orders"] == {"totalCount": 0, "nodes": []}
    assert boss["account"]["orders"]["totalCount"] == 3
    assert bill_reads_marys == {"order": None}
    assert boss_reads_marys == {"order": {"total": "5.00"}}


async def test_account_orders_cost_the_same_sql_for_any_page_size(
    client: GraphQLClient, session: AsyncSession, sql_counter: StatementCounter
) -> None:
    # given an account with 2 orders, then with 6
    account = await make_account(session, code="BULK1")
    shopper = await make_contact(session, account=account, username="shopper")
    await make_contact(session, account=account, username="boss", role=MembershipRole.ADMINISTRATOR)
    await place_orders(client, session, account, shopper, 2)
    token = await client.login("boss", PASSWORD)

    sql_counter.reset()
    small = await client.execute(ACCOUNT_ORDERS, {"code": "BULK1"}, token=token)
    few = sql_counter.count
    await place_orders(client, session, account, shopper, 4)
    sql_counter.reset()
    large = await client.execute(ACCOUNT_ORDERS, {"code": "BULK1"}, token=token)

    # then six orders with their lines cost as many statements as two
    assert len(small["account"]["orders"]["nodes"]) == 2
    assert len(large["account"]["orders"]["nodes"]) == 6
    assert sql_counter.count == few


async def test_viewer_carts_cost_the_same_sql_for_any_page_size(
    client: GraphQLClient, session: AsyncSession, sql_counter: StatementCounter
) -> None:
    # given a shopper with 2 carts, then 6, each with lines
    account = await make_account(session)
    shopper = await make_contact(session, account=account, username="shopper")
    product = await make_product(session, level_prices={"A": "1.00"})
    token = await client.login("shopper", PASSWORD)

    async def add_carts(count: int) -> None:
        for _ in range(count):
            await make_cart(session, account=account, contact=shopper, lines=[(product, 1, "1.00")])

    await add_carts(2)
    sql_counter.reset()
    small = await client.execute(VIEWER_CARTS, token=token)
    few = sql_counter.count
    await add_carts(4)
    sql_counter.reset()
    large = await client.execute(VIEWER_CARTS, token=token)

    assert len(small["viewer"]["carts"]["nodes"]) == 2
    assert len(large["viewer"]["carts"]["nodes"]) == 6
    assert sql_counter.count == few


async def test_carts_to_approve_cost_the_same_sql_for_any_page_size(
    client: GraphQLClient, session: AsyncSession, sql_counter: StatementCounter
) -> None:
    account = await make_account(session)
    approver = await make_contact(
        session, account=account, username="jane", membership={"approve_all": True}
    )
    product = await make_product(session, level_prices={"A": "1.00"})
    token = await client.login("jane", PASSWORD)
    query = "query { cartsToApprove { nodes { total contact { name } lines { sku } } } }"

    async def add_shoppers(count: int) -> None:
        for _ in range(count):
            shopper = await make_contact(
                session, account=account, membership={"cart_approver_id": approver.id}
            )
            await make_cart(
                session,
                account=account,
                contact=shopper,
                lines=[(product, 1, "1.00")],
                status=CartStatus.PENDING_APPROVAL,
                payment_type=PaymentType.ON_ACCOUNT,
            )

    await add_shoppers(2)
    sql_counter.reset()
    small = await client.execute(query, token=token)
    few = sql_counter.count
    await add_shoppers(4)
    sql_counter.reset()
    large = await client.execute(query, token=token)

    assert len(small["cartsToApprove"]["nodes"]) == 2
    assert len(large["cartsToApprove"]["nodes"]) == 6
    assert sql_counter.count == few
