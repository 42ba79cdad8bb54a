"""Whose wallet items are whose (docs/wallet.md): a saved card is its saver's, a shipping account
the account's to use and its adder's (and managers') to change, and "already saved" says nothing
about other owners' cards."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from domain.enums import ApiKeyScope, MembershipRole, PaymentType, WorkerRole
from models import CreditCard, ShippingAccount
from tests.api.carts.test_checkout_wallet import CHECKOUT
from tests.api.wallet.test_credit_cards import SAVE, card
from tests.api.wallet.test_shipping_accounts import CREATE, DELETE, UPDATE
from tests.factories import (
    PASSWORD,
    make_account,
    make_api_key,
    make_cart,
    make_contact,
    make_credit_card,
    make_product,
    make_shipping_account,
    make_worker,
)
from tests.graphql_client import GraphQLClient, gid

CARDS = 'query { account(code: "W1") { creditCards { nodes { holderName } } } }'
SHIPPING_ACCOUNTS = 'query { account(code: "W1") { shippingAccounts { nodes { name } } } }'
DELETE_CARD = """
mutation Delete($input: DeleteCreditCardInput!) {
  deleteCreditCard(input: $input) { deletedCreditCardId errors { field code message } }
}
"""
NO_SUCH_CARD = [{"field": ["id"], "code": "NOT_FOUND", "message": "No such credit card"}]


async def arrange(session: AsyncSession) -> dict[str, Any]:
    """Account W1 (sales rep REP1) with two shoppers and an administrator, each with a login,
    a card Mary saved and one a worker saved."""
    account = await make_account(
        session, code="W1", sales_rep_code="REP1", payment_types=[PaymentType.CREDIT_CARD.value]
    )
    mary = await make_contact(session, account=account, username="mary", name="Mary")
    await make_contact(session, account=account, username="kathy", name="Kathy")
    await make_contact(session, account=account, username="jane", role=MembershipRole.ADMINISTRATOR)
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    await make_worker(session, username="rep1", role=WorkerRole.SALES_REP, rep_code="REP1")
    marys = await make_credit_card(session, account=account, owner=mary, holder_name="Mary")
    workers = await make_credit_card(session, account=account, owner=None, holder_name="Phone")
    return {"account": account, "mary": mary, "marys": marys, "workers": workers}


async def holder_names(client: GraphQLClient, token: str) -> list[str]:
    data = await client.execute(CARDS, {}, token=token)
    return sorted(c["holderName"] for c in data["account"]["creditCards"]["nodes"])


async def test_each_viewer_sees_only_the_cards_it_holds(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Mary's card and a worker's card at W1
    await arrange(session)
    api_key = await make_api_key(session, scopes=[ApiKeyScope.READ])

    # when each reads the account's cards
    seen = {
        name: await holder_names(client, await client.login(name, PASSWORD))
        for name in ("mary", "kathy", "jane", "rep1", "service")
    }
    seen["integrator"] = await holder_names(client, api_key)

    # then Mary sees hers, the rep the workers' one, customer service both; nobody else any
    assert seen == {
        "mary": ["Mary"],
        "kathy": [],
        "jane": [],
        "rep1": ["Phone"],
        "service": ["Mary", "Phone"],
        "integrator": [],
    }


async def test_a_card_is_deleted_only_by_its_holders(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Mary's card
    arranged = await arrange(session)
    marys = {"input": {"id": gid("CreditCard", arranged["marys"].id)}}

    # when another shopper, the administrator and the rep try to delete it, then Mary does
    refused = [
        (await client.execute(DELETE_CARD, marys, token=await client.login(name, PASSWORD)))[
            "deleteCreditCard"
        ]
        for name in ("kathy", "jane", "rep1")
    ]
    deleted = await client.execute(DELETE_CARD, marys, token=await client.login("mary", PASSWORD))

    # then for them it does not exist, and Mary's own delete works
    assert refused == [{"deletedCreditCardId": None, "errors": NO_SUCH_CARD}] * 3
    assert deleted["deleteCreditCard"] == {
        "deletedCreditCardId": marys["input"]["id"],
        "errors": [],
    }


async def test_customer_service_deletes_any_card(
    client: GraphQLClient, session: AsyncSession
) -> None:
    arranged = await arrange(session)
    marys = {"input": {"id": gid("CreditCard", arranged["marys"].id)}}

    deleted = await client.execute(
        DELETE_CARD, marys, token=await client.login("service", PASSWORD)
    )

    assert deleted["deleteCreditCard"]["errors"] == []
    assert await session.scalar(select(func.count()).select_from(CreditCard)) == 1


async def test_another_contacts_card_does_not_pay_a_checkout(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Sam's cart at W1
    arranged = await arrange(session)
    account = arranged["account"]
    product = await make_product(session, level_prices={"A": "10.00"})
    shopper = await make_contact(session, account=account, username="sam")
    cart = await make_cart(session, account=account, contact=shopper, lines=[(product, 1, "10")])

    # when Sam pays with Mary's card, then with the workers' one
    token = await client.login("sam", PASSWORD)
    answers = [
        (
            await client.execute(
                CHECKOUT,
                {
                    "input": {
                        "cartId": gid("Cart", cart.id),
                        "paymentType": "CREDIT_CARD",
                        "creditCardId": gid("CreditCard", arranged[which].id),
                    }
                },
                token=token,
            )
        )["checkoutCart"]["errors"]
        for which in ("marys", "workers")
    ]

    # then neither exists for Sam
    missing = [
        {
            "field": ["creditCardId"],
            "code": "NOT_FOUND",
            "message": "No such saved card of the account",
        }
    ]
    assert answers == [missing, missing]


async def test_a_token_saved_by_someone_else_saves_as_a_new_card(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Mary's card token tok_shared at W1, and a contact of another account
    arranged = await arrange(session)
    other = await make_account(session, code="W2")
    await make_contact(session, account=other, username="olga")
    kathy = await client.login("kathy", PASSWORD)

    # when Olga (W2) and Kathy (W1) save that token, then Kathy saves it again
    request = {"input": card(arranged["account"].id, token=arranged["marys"].token)}
    olga = await client.execute(
        SAVE,
        {"input": card(other.id, token=arranged["marys"].token)},
        token=await client.login("olga", PASSWORD),
    )
    first = await client.execute(SAVE, request, token=kathy)
    again = await client.execute(SAVE, request, token=kathy)

    # then both save (nothing tells them someone holds it), and only Kathy's repeat is refused
    assert olga["saveCreditCard"]["errors"] == []
    assert first["saveCreditCard"]["errors"] == []
    assert again["saveCreditCard"] == {
        "creditCard": None,
        "errors": [
            {"field": ["token"], "code": "DUPLICATE", "message": "This card is already saved"}
        ],
    }


async def test_shipping_accounts_are_used_by_all_and_changed_by_their_adder_and_managers(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a shipping account Mary added and one a worker added
    arranged = await arrange(session)
    account, mary = arranged["account"], arranged["mary"]
    marys = await make_shipping_account(
        session, account=account, name="Mary's FedEx", created_by_contact_id=mary.id
    )
    workers = await make_shipping_account(session, account=account, name="Warehouse UPS")
    kathy = await client.login("kathy", PASSWORD)

    # when Kathy lists them, then tries to rename and delete both
    listed = await client.execute(SHIPPING_ACCOUNTS, {}, token=kathy)
    refused = [
        (
            await client.execute(
                mutation, {"input": {"id": gid("ShippingAccount", s.id), **extra}}, token=kathy
            )
        )
        for s in (marys, workers)
        for mutation, extra in ((UPDATE, {"name": "Mine now"}), (DELETE, {}))
    ]
    # and Mary renames hers, and the administrator deletes the worker's
    renamed = await client.execute(
        UPDATE,
        {"input": {"id": gid("ShippingAccount", marys.id), "name": "FedEx"}},
        token=await client.login("mary", PASSWORD),
    )
    deleted = await client.execute(
        DELETE,
        {"input": {"id": gid("ShippingAccount", workers.id)}},
        token=await client.login("jane", PASSWORD),
    )

    # then Kathy sees both but may change neither; Mary and the administrator may
    assert listed == {
        "account": {
            "shippingAccounts": {"nodes": [{"name": "Mary's FedEx"}, {"name": "Warehouse UPS"}]}
        }
    }
    not_permitted = {
        "field": ["id"],
        "code": "NOT_PERMITTED",
        "message": "Only the contact who added a shipping account, or who manages the account, "
        "changes it",
    }
    assert [r["updateShippingAccount"]["errors"] for r in refused[0::2]] == [[not_permitted]] * 2
    assert [r["deleteShippingAccount"]["errors"] for r in refused[1::2]] == [
        [{"code": "NOT_PERMITTED"}]
    ] * 2
    assert renamed["updateShippingAccount"]["errors"] == []
    assert deleted["deleteShippingAccount"]["errors"] == []
    names = await session.scalars(
        select(col(ShippingAccount.name)).order_by(col(ShippingAccount.id))
    )
    assert list(names) == ["FedEx"]


async def test_a_shipping_account_a_contact_adds_is_theirs_to_change(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Mary adds a shipping account through the API
    arranged = await arrange(session)
    mary = await client.login("mary", PASSWORD)
    created = await client.execute(
        CREATE,
        {
            "input": {
                "accountId": gid("Account", arranged["account"].id),
                "carrier": "DHL",
                "accountNumber": "D-1",
                "name": "Mary's DHL",
            }
        },
        token=mary,
    )
    shipping = {"input": {"id": created["createShippingAccount"]["shippingAccount"]["id"]}}

    # when Kathy tries to delete it, then Mary does
    kathys = await client.execute(DELETE, shipping, token=await client.login("kathy", PASSWORD))
    marys = await client.execute(DELETE, shipping, token=mary)

    # then only Mary's delete works
    assert kathys["deleteShippingAccount"]["errors"] == [{"code": "NOT_PERMITTED"}]
    assert marys["deleteShippingAccount"]["errors"] == []
