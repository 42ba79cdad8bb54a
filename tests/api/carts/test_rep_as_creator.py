"""Issue #7: "Carts and orders created by a rep record the rep as the creator and the account as
the buyer" — from the rep's login through switchAccount to the order."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import PaymentType, WorkerRole
from tests.factories import PASSWORD, make_account, make_address, make_product, make_worker
from tests.graphql_client import GraphQLClient, gid

SWITCH = """
mutation Switch($input: SwitchAccountInput!) {
  switchAccount(input: $input) { errors { field code message } }
}
"""
CREATE_CART = "mutation { createCart(input: {}) { cart { id } errors { code } } }"
ADD_LINES = """
mutation Add($input: AddCartLinesInput!) {
  addCartLines(input: $input) { cart { total } errors { field code message } }
}
"""
CHECKOUT = """
mutation Checkout($input: CheckoutCartInput!) {
  checkoutCart(input: $input) {
    cart {
      status
      account { code }
      createdByContact { name }
      createdByWorker { username }
    }
    order {
      status
      total
      account { code }
      createdByContact { name }
      createdByWorker { username }
    }
    errors { field code message }
  }
}
"""


async def test_a_rep_acting_for_an_account_buys_as_the_creator_for_the_account(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given rep1 and an account of its rep code that pays on account
    account = await make_account(
        session,
        code="R1",
        sales_rep_code="REP01",
        price_level="B",
        payment_types=[PaymentType.ON_ACCOUNT.value],
    )
    await make_address(session, account=account, is_primary=True)
    product = await make_product(session, level_prices={"A": "10.00", "B": "8.00"})
    await make_worker(session, username="rep1", role=WorkerRole.SALES_REP, rep_code="REP01")

    # when the rep logs in, switches to the account, makes a cart, adds a line and checks out
    token = await client.login("rep1", PASSWORD)
    switched = await client.execute(
        SWITCH, {"input": {"accountId": gid("Account", account.id)}}, token=token
    )
    created = await client.execute(CREATE_CART, token=token)
    cart_id = created["createCart"]["cart"]["id"]
    added = await client.execute(
        ADD_LINES,
        {
            "input": {
                "cartId": cart_id,
                "lines": [{"productId": gid("Product", product.id), "quantity": 2}],
            }
        },
        token=token,
    )
    checked_out = await client.execute(
        CHECKOUT, {"input": {"cartId": cart_id, "paymentType": "ON_ACCOUNT"}}, token=token
    )

    # then the line is priced for the account, and cart and order name the rep as the creator
    # and the account as the buyer
    assert switched["switchAccount"]["errors"] == []
    assert created["createCart"]["errors"] == []
    assert added["addCartLines"] == {"cart": {"total": "16.00"}, "errors": []}
    creator = {"createdByContact": None, "createdByWorker": {"username": "rep1"}}
    assert checked_out["checkoutCart"] == {
        "cart": {"status": "CHECKED_OUT", "account": {"code": "R1"}, **creator},
        "order": {"status": "PLACED", "total": "16.00", "account": {"code": "R1"}, **creator},
        "errors": [],
    }
