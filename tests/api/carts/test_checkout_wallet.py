"""checkoutCart with the wallet: a saved card instead of a payment reference (issue #6), and a
shipping account carried with the order to the ERP (issue #7, seed 002)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from domain.enums import ApiKeyScope, MembershipRole, PaymentType
from models import Cart, Contact
from tests.api.carts.test_checkout_cart import arrange, checkout_input, count_orders
from tests.api.orders.test_exports import api_key
from tests.factories import (
    PASSWORD,
    make_account,
    make_cart,
    make_contact,
    make_credit_card,
    make_product,
    make_shipping_account,
)
from tests.graphql_client import GraphQLClient, gid

CHECKOUT = """
mutation Checkout($input: CheckoutCartInput!) {
  checkoutCart(input: $input) {
    cart { status shippingAccount { name } }
    order { paymentType paymentReference shippingAccount { carrier accountNumber name } }
    errors { field code message }
  }
}
"""


ORDER_SHIPPING = "query Cart($id: ID!) { cart(id: $id) { order { shippingAccount { name } } } }"
APPROVE = """
mutation Approve($input: ApproveCartInput!) {
  approveCart(input: $input) {
    order { paymentReference shippingAccount { name } }
    errors { field code message }
  }
}
"""
PENDING = """
query {
  pendingExports {
    nodes { kind order { number shippingAccount { carrier accountNumber name } } }
  }
}
"""


async def shopper_of(session: AsyncSession, cart: Cart) -> Contact:
    """The cart's owner, whose saved cards pay for it."""
    contact = await session.get(Contact, cart.contact_id)
    assert contact is not None
    return contact


async def test_a_saved_card_pays_and_the_order_records_its_token(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a shopper's cart and a saved card of the account
    token, cart, account = await arrange(client, session)
    card = await make_credit_card(
        session, account=account, owner=await shopper_of(session, cart), token="tok_visa_1234"
    )

    # when the shopper checks out by credit card with the card
    data = await client.execute(
        CHECKOUT,
        checkout_input(cart, PaymentType.CREDIT_CARD, creditCardId=gid("CreditCard", card.id)),
        token=token,
    )

    # then the order's payment reference is the card's vault token
    assert data["checkoutCart"] == {
        "cart": {"status": "CHECKED_OUT", "shippingAccount": None},
        "order": {
            "paymentType": "CREDIT_CARD",
            "paymentReference": "tok_visa_1234",
            "shippingAccount": None,
        },
        "errors": [],
    }


async def test_an_expired_card_is_refused(client: GraphQLClient, session: AsyncSession) -> None:
    # given a saved card of the account that expired last year
    token, cart, account = await arrange(client, session)
    year = date.today().year - 1
    card = await make_credit_card(
        session,
        account=account,
        owner=await shopper_of(session, cart),
        expiry_month=6,
        expiry_year=year,
    )

    # when the shopper pays with it
    data = await client.execute(
        CHECKOUT,
        checkout_input(cart, PaymentType.CREDIT_CARD, creditCardId=gid("CreditCard", card.id)),
        token=token,
    )

    # then the card is refused and no order is made
    assert data["checkoutCart"] == {
        "cart": None,
        "order": None,
        "errors": [
            {
                "field": ["creditCardId"],
                "code": "INVALID",
                "message": f"The card expired at the end of 06/{year}",
            }
        ],
    }
    assert await count_orders(session) == 0


async def test_a_card_of_another_account_does_not_exist(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a card saved for another account
    token, cart, _ = await arrange(client, session)
    card = await make_credit_card(session, account=await make_account(session), owner=None)

    # when the shopper pays with it
    data = await client.execute(
        CHECKOUT,
        checkout_input(cart, PaymentType.CREDIT_CARD, creditCardId=gid("CreditCard", card.id)),
        token=token,
    )

    # then it is not found
    assert data["checkoutCart"]["errors"] == [
        {
            "field": ["creditCardId"],
            "code": "NOT_FOUND",
            "message": "No such saved card of the account",
        }
    ]
    assert await count_orders(session) == 0


async def test_a_card_pays_by_credit_card_only_and_not_with_a_reference(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a saved card of the account
    token, cart, account = await arrange(client, session)
    card_id = gid(
        "CreditCard",
        (
            await make_credit_card(session, account=account, owner=await shopper_of(session, cart))
        ).id,
    )

    # when the shopper pays by PayPal with it, then by card with both it and a reference
    paypal = await client.execute(
        CHECKOUT, checkout_input(cart, PaymentType.PAYPAL, creditCardId=card_id), token=token
    )
    both = await client.execute(
        CHECKOUT,
        checkout_input(
            cart, PaymentType.CREDIT_CARD, creditCardId=card_id, paymentReference="auth-1"
        ),
        token=token,
    )

    # then both are refused on creditCardId
    assert paypal["checkoutCart"]["errors"] == [
        {
            "field": ["creditCardId"],
            "code": "INVALID",
            "message": "A saved card pays by CREDIT_CARD only",
        }
    ]
    assert both["checkoutCart"]["errors"] == [
        {
            "field": ["creditCardId"],
            "code": "INVALID",
            "message": "Give a saved card or a payment reference, not both",
        }
    ]


async def test_the_shipping_account_goes_with_the_order_to_the_erp(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    # given a shopper's cart and a shipping account of the account
    token, cart, account = await arrange(client, session)
    shipping = await make_shipping_account(
        session, account=account, carrier="TNT", account_number="TNT-778", name="Site TNT"
    )

    # when the shopper checks out with it
    data = await client.execute(
        CHECKOUT,
        checkout_input(
            cart, PaymentType.ON_ACCOUNT, shippingAccountId=gid("ShippingAccount", shipping.id)
        ),
        token=token,
    )
    erp = await client.execute(PENDING, token=await api_key(session, settings, ApiKeyScope.SYNC))

    # then the cart and the order show it, and the ERP sees it with the order
    expected = {"carrier": "TNT", "accountNumber": "TNT-778", "name": "Site TNT"}
    assert data["checkoutCart"] == {
        "cart": {"status": "CHECKED_OUT", "shippingAccount": {"name": "Site TNT"}},
        "order": {
            "paymentType": "ON_ACCOUNT",
            "paymentReference": None,
            "shippingAccount": expected,
        },
        "errors": [],
    }
    orders = [n for n in erp["pendingExports"]["nodes"] if n["kind"] == "ORDER"]
    assert [n["order"]["shippingAccount"] for n in orders] == [expected]


async def test_a_shipping_account_of_another_account_does_not_exist(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a shipping account of another account
    token, cart, _ = await arrange(client, session)
    shipping = await make_shipping_account(session, account=await make_account(session))

    # when the shopper checks out with it
    data = await client.execute(
        CHECKOUT,
        checkout_input(
            cart, PaymentType.ON_ACCOUNT, shippingAccountId=gid("ShippingAccount", shipping.id)
        ),
        token=token,
    )

    # then it is not found and no order is made
    assert data["checkoutCart"]["errors"] == [
        {
            "field": ["shippingAccountId"],
            "code": "NOT_FOUND",
            "message": "No such shipping account of the account",
        }
    ]
    assert await count_orders(session) == 0


async def test_the_order_keeps_the_shipping_account_as_it_was(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an order shipped on an account's shipping account
    token, cart, account = await arrange(client, session)
    shipping = await make_shipping_account(session, account=account, name="Old name")
    await client.execute(
        CHECKOUT,
        checkout_input(
            cart, PaymentType.ON_ACCOUNT, shippingAccountId=gid("ShippingAccount", shipping.id)
        ),
        token=token,
    )

    # when the shipping account is deleted afterwards
    await session.delete(shipping)
    await session.commit()
    order = await client.execute(ORDER_SHIPPING, {"id": gid("Cart", cart.id)}, token=token)

    # then the order still names it
    assert order == {"cart": {"order": {"shippingAccount": {"name": "Old name"}}}}


async def test_the_card_and_shipping_account_wait_with_the_cart_for_its_approver(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Sam, whose carts Jane approves, with a card and a shipping account of the account
    account = await make_account(session, payment_types=[PaymentType.CREDIT_CARD.value])
    jane = await make_contact(
        session,
        account=account,
        username="jane",
        role=MembershipRole.APPROVER,
        membership={"approve_all": True},
    )
    sam = await make_contact(
        session, account=account, username="sam", membership={"cart_approver_id": jane.id}
    )
    product = await make_product(session, level_prices={"A": "10.00"})
    cart = await make_cart(session, account=account, contact=sam, lines=[(product, 1, "10.00")])
    card = await make_credit_card(session, account=account, owner=sam, token="tok_sam")
    shipping = await make_shipping_account(session, account=account, name="Sam's FedEx")

    # when Sam checks out with both and Jane approves
    submitted = await client.execute(
        CHECKOUT,
        checkout_input(
            cart,
            PaymentType.CREDIT_CARD,
            creditCardId=gid("CreditCard", card.id),
            shippingAccountId=gid("ShippingAccount", shipping.id),
        ),
        token=await client.login("sam", PASSWORD),
    )
    approved = await client.execute(
        APPROVE,
        {"input": {"cartId": gid("Cart", cart.id)}},
        token=await client.login("jane", PASSWORD),
    )

    # then the cart waited with them, and the order has the card's token and the account
    assert submitted["checkoutCart"]["cart"] == {
        "status": "PENDING_APPROVAL",
        "shippingAccount": {"name": "Sam's FedEx"},
    }
    assert approved["approveCart"] == {
        "order": {"paymentReference": "tok_sam", "shippingAccount": {"name": "Sam's FedEx"}},
        "errors": [],
    }
