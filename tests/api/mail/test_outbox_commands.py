"""`tradepost outbox` and `tradepost send-mail`: what an operator sees and runs."""

from __future__ import annotations

import re

from sqlalchemy.ext.asyncio import AsyncSession

from api.system_commands import list_outbox_now, send_mail_now
from core.settings import Settings
from domain.registration import CUSTOMER_DATA_SECTION
from domain.system_email import SYSTEM_EMAILS_SECTION
from tests.api.registration.operations import REGISTER_ACCOUNT, registration
from tests.factories import save_settings
from tests.graphql_client import GraphQLClient
from tests.smtp import SmtpServer


async def test_the_outbox_lists_waiting_mail_and_send_mail_delivers_it(
    client: GraphQLClient, session: AsyncSession, settings: Settings, smtp_server: SmtpServer
) -> None:
    # given a welcome e-mail copied to sales, queued while no mail server is configured
    await save_settings(session, CUSTOMER_DATA_SECTION, allow_new_accounts=True)
    await save_settings(
        session,
        SYSTEM_EMAILS_SECTION,
        new_account_welcome={
            "subject": "Welcome",
            "body": "Your account is $account_number.",
            "cc": ["sales@tradepost.example"],
        },
    )
    await client.execute(REGISTER_ACCOUNT, {"input": registration()})

    # when the operator lists the outbox, sends the mail, and lists what was sent
    waiting = await list_outbox_now(settings, status="pending", limit=10, body=True)
    reports: list[str] = []
    mail_settings = settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": smtp_server.port}
    )
    await send_mail_now(mail_settings, watch_seconds=None, report=reports.append)
    sent = await list_outbox_now(settings, status="SENT", limit=10, body=False)

    # then each step shows the message
    assert len(waiting) == 1
    assert "PENDING" in waiting[0]
    assert "to linh@nguyen-cabinets.example  cc sales@tradepost.example  Welcome" in waiting[0]
    assert re.search(r"\nYour account is W\d+\.$", waiting[0])
    assert reports == ["1 sent, 0 to retry, 0 failed"]
    assert len(sent) == 1
    assert "SENT" in sent[0]
