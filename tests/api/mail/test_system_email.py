"""System e-mail: templates edited by ADMIN workers, and the outbox delivered over real SMTP."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import col

from api.mail_sender import deliver_outbox
from core.database import create_sessionmaker
from core.settings import Settings
from domain.enums import WorkerRole
from domain.registration import CUSTOMER_DATA_SECTION
from models import OutboxEmail
from models.outbox import OutboxStatus
from models.types import utcnow
from tests.api.registration.operations import REGISTER_ACCOUNT, registration
from tests.factories import PASSWORD, make_account, make_contact, make_worker, save_settings
from tests.graphql_client import GraphQLClient
from tests.smtp import ReceivedMail, SmtpServer, free_port

EMAIL_SETTINGS = "query { emailSettings { key subject from cc bcc isEnabled } }"
UPDATE = """
mutation Update($input: UpdateEmailSettingInput!) {
  updateEmailSetting(input: $input) {
    emailSetting { key subject from cc bcc isEnabled }
    errors { field code message }
  }
}
"""


async def _admin(client: GraphQLClient, session: AsyncSession) -> str:
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    return await client.login("admin", PASSWORD)


async def _outbox(session: AsyncSession) -> list[tuple[OutboxStatus, int, bool]]:
    rows = await session.scalars(select(OutboxEmail).order_by(col(OutboxEmail.id)))
    found = [(r.status, r.attempts, r.last_error is not None) for r in rows]
    # End the read, so the next look sees what the sender commits meanwhile.
    await session.rollback()
    return found


async def test_cc_and_bcc_reach_the_server_but_bcc_stays_out_of_the_headers(
    client: GraphQLClient,
    session: AsyncSession,
    send_mail: Callable[[], Awaitable[list[ReceivedMail]]],
) -> None:
    # given an administrator copies the welcome e-mail to sales and blind-copies the archive
    token = await _admin(client, session)
    updated = await client.execute(
        UPDATE,
        {
            "input": {
                "key": "NEW_ACCOUNT_WELCOME",
                "subject": "Welcome, $company_name",
                "from": "Shop <shop@tradepost.example>",
                "cc": ["sales@tradepost.example"],
                "bcc": ["archive@tradepost.example"],
            }
        },
        token=token,
    )
    await save_settings(session, CUSTOMER_DATA_SECTION, allow_new_accounts=True)

    # when a visitor registers and the outbox is delivered
    await client.execute(REGISTER_ACCOUNT, {"input": registration()})
    (mail,) = await send_mail()

    # then every recipient got it, only To and Cc are in the headers, and it is marked sent
    assert updated["updateEmailSetting"] == {
        "emailSetting": {
            "key": "NEW_ACCOUNT_WELCOME",
            "subject": "Welcome, $company_name",
            "from": "Shop <shop@tradepost.example>",
            "cc": ["sales@tradepost.example"],
            "bcc": ["archive@tradepost.example"],
            "isEnabled": True,
        },
        "errors": [],
    }
    assert mail.sender == "shop@tradepost.example"
    assert mail.recipients == [
        "linh@nguyen-cabinets.example",
        "sales@tradepost.example",
        "archive@tradepost.example",
    ]
    assert (mail.message["To"], mail.message["Cc"], mail.message["Bcc"]) == (
        "linh@nguyen-cabinets.example",
        "sales@tradepost.example",
        None,
    )
    assert mail.subject == "Welcome, Nguyen Cabinets"
    assert await _outbox(session) == [(OutboxStatus.SENT, 1, False)]


async def test_a_mail_server_that_is_down_loses_nothing(
    client: GraphQLClient,
    session: AsyncSession,
    settings: Settings,
    engine: AsyncEngine,
    smtp_server: SmtpServer,
) -> None:
    # given a queued welcome e-mail and a mail server that does not answer
    await save_settings(session, CUSTOMER_DATA_SECTION, allow_new_accounts=True)
    await client.execute(REGISTER_ACCOUNT, {"input": registration()})
    down = settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": free_port(), "mail_retry_seconds": 60}
    )
    up = down.model_copy(update={"smtp_port": smtp_server.port})
    sessions = create_sessionmaker(engine)
    later = utcnow() + timedelta(minutes=5)

    # when the sender runs while it is down, again at once, and after the back-off once it is up
    await deliver_outbox(down, sessions)
    after_failure = await _outbox(session)
    await deliver_outbox(up, sessions)
    too_soon = await _outbox(session)
    await deliver_outbox(up, sessions, now=lambda: later)

    # then the message waited for its retry and was then delivered
    assert after_failure == [(OutboxStatus.PENDING, 1, True)]
    assert too_soon == after_failure
    assert await _outbox(session) == [(OutboxStatus.SENT, 2, False)]
    assert [m.recipients for m in smtp_server.inbox.received] == [["linh@nguyen-cabinets.example"]]


async def test_a_message_fails_after_its_last_attempt(
    client: GraphQLClient, session: AsyncSession, settings: Settings, engine: AsyncEngine
) -> None:
    # given a queued e-mail, a mail server that never answers and two attempts allowed
    await save_settings(session, CUSTOMER_DATA_SECTION, allow_new_accounts=True)
    await client.execute(REGISTER_ACCOUNT, {"input": registration()})
    down = settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": free_port(), "mail_max_attempts": 2}
    )

    # when the sender tries twice, an hour apart
    await deliver_outbox(down, create_sessionmaker(engine))
    later = utcnow() + timedelta(hours=1)
    await deliver_outbox(down, create_sessionmaker(engine), now=lambda: later)

    # then the message is marked failed, with the error kept
    assert await _outbox(session) == [(OutboxStatus.FAILED, 2, True)]


async def test_only_admins_see_and_edit_templates_and_bad_addresses_are_refused(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an administrator and a contact
    admin = await _admin(client, session)
    account = await make_account(session)
    await make_contact(session, account=account, username="mary")
    contact = await client.login("mary", PASSWORD)

    # when each reads the templates, and the admin saves a bad cc and disables one
    listed = await client.execute(EMAIL_SETTINGS, token=admin)
    refused = await client.errors(EMAIL_SETTINGS, token=contact)
    bad = await client.execute(
        UPDATE, {"input": {"key": "PASSWORD_RESET", "cc": ["not an address"]}}, token=admin
    )
    disabled = await client.execute(
        UPDATE, {"input": {"key": "USERNAME_REMINDER", "isEnabled": False}}, token=admin
    )

    # then the admin sees every system e-mail, the contact is forbidden, the bad cc named
    assert [s["key"] for s in listed["emailSettings"]] == [
        "NEW_ACCOUNT_REQUEST",
        "NEW_ACCOUNT_WELCOME",
        "ACCOUNT_VERIFIED",
        "CONTACT_CREATED",
        "PASSWORD_RESET",
        "USERNAME_REMINDER",
        "CART_APPROVAL_REQUESTED",
        "CART_APPROVED",
        "CART_REJECTED",
        "QUOTE_REQUESTED",
        "QUOTE_SENT",
        "QUOTE_ANSWERED",
        "QUOTE_WITHDRAWN",
    ]
    assert [e["extensions"]["code"] for e in refused] == ["FORBIDDEN"]
    assert bad["updateEmailSetting"] == {
        "emailSetting": None,
        "errors": [
            {
                "field": ["cc"],
                "code": "INVALID",
                "message": "Value error, not e-mail addresses: not an address",
            }
        ],
    }
    assert disabled["updateEmailSetting"]["emailSetting"]["isEnabled"] is False
