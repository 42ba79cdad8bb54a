"""Viewer.orders, Account.orders, order(id:), Viewer.carts and cartsToApprove: who sees what,
and a constant number of SQL statements whatever the page size."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from domain.enums import CartStatus, MembershipRole, PaymentType, SurchargeKind
from models import Account, Contact, Product
from tests.conftest import StatementCounter
from tests.factories import (
    PASSWORD,
    make_account,
    make_cart,
    make_contact,
    make_location,
    make_product,
)
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
      nodes { total surcharge status shipTo { city } shipFrom { code } account { code }
              createdByContact { name }
              lines { sku productName quantity unitPrice lineTotal product { sku } } }
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
        lines { sku productName quantity product { name } }
        history { nodes { kind contact { name } } }
        checkoutPreview { outcome total shipFrom { code } }
      }
    }
  }
}
"""
ORDER = "query Order($id: ID!) { order(id: $id) { total } }"


async def served_from_a_depot(session: AsyncSession, account: Account) -> None:
    """A primary location with a surcharge, so that orders and previews load it."""
    await make_location(
        session,
        code=f"DEPOT{account.id}",
        accounts=[(account, True)],
        surcharge_kind=SurchargeKind.PERCENT,
        surcharge_value=Decimal("5"),
    )


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
    await served_from_a_depot(session, account)
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
    # (and the relations counted are there to load)
    first = large["account"]["orders"]["nodes"][0]
    assert first["shipFrom"] == {"code": f"DEPOT{account.id}"}
    assert [line["product"]["sku"] for line in first["lines"]] == [
        line["sku"] for line in first["lines"]
    ]


async def test_viewer_carts_cost_the_same_sql_for_any_page_size(
    client: GraphQLClient, session: AsyncSession, sql_counter: StatementCounter
) -> None:
    # given a shopper with 2 carts, then 6, each with lines
    account = await make_account(session)
    await served_from_a_depot(session, account)
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
    first = large["viewer"]["carts"]["nodes"][0]
    assert first["lines"][0]["product"] == {"name": product.name}
    assert first["checkoutPreview"] == {
        "outcome": "ORDER",
        "total": "1.05",
        "shipFrom": {"code": f"DEPOT{account.id}"},
    }


async def test_carts_to_approve_cost_the_same_sql_for_any_page_size(
    client: GraphQLClient, session: AsyncSession, sql_counter: StatementCounter
) -> None:
    account = await make_account(session)
    await served_from_a_depot(session, account)
    approver = await make_contact(
        session, account=account, username="jane", membership={"approve_all": True}
    )
    product = await make_product(session, level_prices={"A": "1.00"})
    token = await client.login("jane", PASSWORD)
    query = (
        "query { cartsToApprove { nodes { total contact { name } lines { sku product { name } } "
        "checkoutPreview { total shipFrom { code } } } } }"
    )

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
    assert large["cartsToApprove"]["nodes"][0]["lines"] == [
        {"sku": product.sku, "product": {"name": product.name}}
    ]


async def test_an_order_line_keeps_its_copy_when_the_product_is_deleted(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an order of two products
    account = await make_account(session, code="GONE1")
    shopper = await make_contact(session, account=account, username="shopper")
    (order_id,) = await place_orders(client, session, account, shopper, 1)
    token = await client.login("shopper", PASSWORD)
    query = "query Order($id: ID!) { order(id: $id) { lines { sku productName product { sku } } } }"
    before = await client.execute(query, {"id": order_id}, token=token)

    # when the first product is deleted
    first_sku = before["order"]["lines"][0]["sku"]
    await session.execute(delete(Product).where(col(Product.sku) == first_sku))
    await session.commit()
    after = await client.execute(query, {"id": order_id}, token=token)

    # then its line keeps the sku and name as ordered, and has no product any more
    (first, second) = before["order"]["lines"]
    assert first["product"] == {"sku": first["sku"]}
    assert after["order"]["lines"] == [first | {"product": None}, second]
