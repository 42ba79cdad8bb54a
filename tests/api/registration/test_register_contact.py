"""registerContact: a verification ticket works once, expires, and obeys immediate access."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from core.tokens import token_hash
from domain.registration import CUSTOMER_DATA_SECTION
from models import OneTimeToken
from models.registration import TokenPurpose
from models.types import utcnow
from tests.api.registration.operations import LOGIN, REGISTER_CONTACT, VERIFY_ACCOUNT
from tests.factories import make_account, make_address, make_invoice, save_settings
from tests.graphql_client import GraphQLClient

BAD_TICKET = [
    {
        "field": ["ticket"],
        "code": "INVALID",
        "message": "This code is invalid, already used or expired",
    }
]


def _contact(ticket: str, **overrides: str) -> dict[str, Any]:
    values = {
        "ticket": ticket,
        "name": "Sam Buyer",
        "email": "sam@abc.example",
        "username": "sam.buyer",
        "password": "a-long-enough-secret",
    }
    return {"input": {**values, **overrides}}


async def _ticket(client: GraphQLClient, session: AsyncSession, **settings: Any) -> str:
    await save_settings(session, CUSTOMER_DATA_SECTION, allow_new_contacts=True, **settings)
    account = await make_account(session, code="ABC1234")
    await make_address(session, account=account, postcode="2000", is_primary=True)
    await make_invoice(session, account=account, number="INV-1", invoice_date=date.today())
    data = await client.execute(
        VERIFY_ACCOUNT,
        {
            "input": {
                "accountNumber": "ABC1234",
                "billingPostcode": "2000",
                "invoiceNumber": "INV-1",
            }
        },
    )
    ticket: str = data["verifyAccount"]["ticket"]
    return ticket


async def test_a_ticket_works_once_but_survives_a_refused_form(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a verified visitor
    ticket = await _ticket(client, session)

    # when it first sends a short password, then a good form, then reuses the ticket
    short = await client.execute(REGISTER_CONTACT, _contact(ticket, password="short"))
    good = await client.execute(REGISTER_CONTACT, _contact(ticket))
    again = await client.execute(REGISTER_CONTACT, _contact(ticket, username="sam.two"))

    # then the refusal did not use the ticket, the good form did, and the reuse is refused
    assert short["registerContact"]["errors"] == [
        {
            "field": ["password"],
            "code": "INVALID",
            "message": "Password must be at least 12 characters",
        }
    ]
    assert good["registerContact"]["errors"] == []
    assert again["registerContact"]["errors"] == BAD_TICKET


async def test_an_expired_or_forged_ticket_is_refused(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    # given a ticket that expired a minute ago
    await save_settings(session, CUSTOMER_DATA_SECTION, allow_new_contacts=True)
    account = await make_account(session, code="ABC1234")
    session.add(
        OneTimeToken(
            purpose=TokenPurpose.ACCOUNT_VERIFICATION,
            token_hash=token_hash(settings.secret_key, "tpv_expired"),
            account_id=account.id,
            expires_at=utcnow() - timedelta(minutes=1),
        )
    )
    await session.commit()

    # when it is used, or one that was never issued
    expired = await client.execute(REGISTER_CONTACT, _contact("tpv_expired"))
    forged = await client.execute(REGISTER_CONTACT, _contact("tpv_forged"))

    # then both are refused alike
    assert expired["registerContact"]["errors"] == BAD_TICKET
    assert forged["registerContact"]["errors"] == BAD_TICKET


async def test_without_immediate_access_the_new_login_waits_for_a_worker(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given contacts are created disabled
    ticket = await _ticket(client, session, immediate_access=False)

    # when the visitor creates its login and tries it
    data = await client.execute(REGISTER_CONTACT, _contact(ticket))
    login = await client.execute(
        LOGIN, {"input": {"username": "sam.buyer", "password": "a-long-enough-secret"}}
    )

    # then it is told to wait, and cannot log in yet
    assert data["registerContact"] == {
        "token": None,
        "awaitingApproval": True,
        "viewer": {"contact": None, "activeAccount": None, "memberships": {"nodes": []}},
        "errors": [],
    }
    assert login["login"]["errors"] == [
        {
            "field": None,
            "code": "NOT_PERMITTED",
            "message": "Your login is not active: the account is disabled or awaiting approval",
        }
    ]
