"""Delivering the outbox over SMTP (`tradepost send-mail`).

aiosmtplib: asyncio-native like the rest of the server, maintained, typed, and it speaks
STARTTLS, implicit TLS and AUTH. Each message is claimed in one short transaction, sent outside
any transaction (a slow mail server never holds the database's write lock), then settled.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import parseaddr

import aiosmtplib
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.database import begin_write
from core.settings import Settings
from models import OutboxEmail
from models.outbox import OutboxStatus
from models.types import utcnow
from resolvers.mail import claim_due, settle_delivery

logger = logging.getLogger("tradepost.mail")


@dataclass
class DeliveryReport:
    counts: dict[OutboxStatus, int] = field(default_factory=lambda: dict.fromkeys(OutboxStatus, 0))


def _message(email: OutboxEmail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = email.sender
    message["To"] = ", ".join(email.to)
    if email.cc:
        message["Cc"] = ", ".join(email.cc)
    # Bcc recipients are only in the envelope, never in a header.
    message["Subject"] = email.subject
    message.set_content(email.body)
    return message


async def send_over_smtp(settings: Settings, email: OutboxEmail) -> None:
    assert settings.smtp_host is not None
    await aiosmtplib.send(
        _message(email),
        sender=parseaddr(email.sender)[1],
        recipients=[*email.to, *email.cc, *email.bcc],
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_username,
        password=settings.smtp_password,
        use_tls=settings.smtp_security == "tls",
        start_tls=settings.smtp_security == "starttls",
        timeout=settings.smtp_timeout_seconds,
    )


async def deliver_outbox(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    now: Callable[[], datetime] = utcnow,
) -> DeliveryReport:
    """Deliver every message that is due, once each; retries wait for a later run."""
    report = DeliveryReport()
    lease = int(settings.smtp_timeout_seconds * 2)
    while True:
        async with sessionmaker() as session:
            await begin_write(session)
            email = await claim_due(session, now=now(), lease_seconds=lease)
            await session.commit()
        if email is None or email.id is None:
            return report
        try:
            await send_over_smtp(settings, email)
            error = None
        except (TimeoutError, aiosmtplib.SMTPException, OSError) as failure:
            error = f"{type(failure).__name__}: {failure}"
            logger.warning("mail %s not delivered: %s", email.id, error)
        async with sessionmaker() as session:
            await begin_write(session)
            status = await settle_delivery(
                session,
                email.id,
                error=error,
                now=now(),
                max_attempts=settings.mail_max_attempts,
                retry_seconds=settings.mail_retry_seconds,
            )
            await session.commit()
        report.counts[status] += 1
