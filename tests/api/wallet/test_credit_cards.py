"""Vaulted credit cards (seed 002): tokens only, card numbers refused, saving switchable off,
expired cards flagged."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import WorkerRole
from models import CreditCard
from tests.factories import PASSWORD, make_account, make_contact, make_worker
from tests.graphql_client import GraphQLClient, gid

SAVE = """
mutation Save($input: SaveCreditCardInput!) {
  saveCreditCard(input: $input) {
    creditCard { brand last4 expiryMonth expiryYear holderName isExpired }
    errors { field code message }
  }
}
"""
SETTINGS = """
mutation($input: UpdateWalletSettingsInput!) {
  updateWalletSettings(input: $input) { settings { creditCardSavingEnabled } errors { code } }
}
"""
THIS_YEAR = datetime.now(UTC).year


def card(account_id: int | None, **changes: object) -> dict[str, object]:
    return {
        "accountId": gid("Account", account_id),
        "token": "tok_1N3xYz",
        "brand": "Visa",
        "last4": "4242",
        "expiryMonth": 12,
        "expiryYear": THIS_YEAR + 2,
        "holderName": "Mary Jones",
        **changes,
    }


async def test_a_contact_saves_a_vaulted_card(client: GraphQLClient, session: AsyncSession) -> None:
    account = await make_account(session, code="K1")
    await make_contact(session, account=account, username="mary")
    token = await client.login("mary", PASSWORD)

    data = await client.execute(SAVE, {"input": card(account.id)}, token=token)
    listed = await client.execute(
        'query { account(code: "K1") { creditCards { nodes { last4 isExpired } } } }', token=token
    )

    assert data["saveCreditCard"] == {
        "creditCard": {
            "brand": "Visa",
            "last4": "4242",
            "expiryMonth": 12,
            "expiryYear": THIS_YEAR + 2,
            "holderName": "Mary Jones",
            "isExpired": False,
        },
        "errors": [],
    }
    assert listed == {
        "account": {"creditCards": {"nodes": [{"last4": "4242", "isExpired": False}]}}
    }


async def test_a_card_number_is_refused_with_a_clear_error_and_not_stored(
    client: GraphQLClient, session: AsyncSession
) -> None:
    account = await make_account(session, code="K1")
    await make_contact(session, account=account, username="mary")
    token = await client.login("mary", PASSWORD)

    data = await client.execute(
        SAVE, {"input": card(account.id, token="4111 1111 1111 1111")}, token=token
    )

    assert data["saveCreditCard"] == {
        "creditCard": None,
        "errors": [
            {
                "field": ["token"],
                "code": "INVALID",
                "message": "token looks like a card number; send the payment gateway's token "
                "and the last four digits, never the card number",
            }
        ],
    }
    assert (await session.get(CreditCard, 1)) is None


async def test_saving_cards_can_be_switched_off(
    client: GraphQLClient, session: AsyncSession
) -> None:
    account = await make_account(session, code="K1")
    await make_contact(session, account=account, username="mary")
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    admin = await client.login("admin", PASSWORD)

    switched = await client.execute(
        SETTINGS, {"input": {"creditCardSavingEnabled": False}}, token=admin
    )
    data = await client.execute(
        SAVE, {"input": card(account.id)}, token=await client.login("mary", PASSWORD)
    )

    assert switched["updateWalletSettings"] == {
        "settings": {"creditCardSavingEnabled": False},
        "errors": [],
    }
    assert data["saveCreditCard"] == {
        "creditCard": None,
        "errors": [
            {
                "field": None,
                "code": "NOT_PERMITTED",
                "message": "Saving credit cards is switched off",
            }
        ],
    }


async def test_a_card_that_has_since_expired_is_flagged(
    client: GraphQLClient, session: AsyncSession
) -> None:
    account = await make_account(session, code="K1")
    mary = await make_contact(session, account=account, username="mary")
    assert account.id is not None
    session.add(
        CreditCard(
            account_id=account.id,
            contact_id=mary.id,
            token="tok_old",
            brand="Visa",
            last4="1881",
            expiry_month=1,
            expiry_year=THIS_YEAR - 1,
            holder_name="Mary Jones",
        )
    )
    await session.commit()
    token = await client.login("mary", PASSWORD)

    data = await client.execute(
        'query { account(code: "K1") { creditCards { nodes { last4 isExpired } } } }', token=token
    )

    assert data == {"account": {"creditCards": {"nodes": [{"last4": "1881", "isExpired": True}]}}}
