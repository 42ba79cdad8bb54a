"""System e-mail: templates edited by ADMIN workers, and the outbox every domain writes to.

`queue_email` renders a template into the outbox in the caller's transaction, so the mail goes
out exactly when the change it reports is committed; `tradepost send-mail` delivers it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, Text, cast, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from core.context import Context
from domain.errors import DomainError, DomainErrors, ErrorCode
from domain.system_email import (
    SYSTEM_EMAILS_SECTION,
    EmailTemplate,
    SystemEmail,
    SystemEmails,
    render_email,
    retry_delay_seconds,
)
from domain.validation import check_email
from models import OutboxEmail
from models.outbox import OutboxStatus
from resolvers.platform_settings import load_section, save_section


async def queue_email(
    context: Context, *, template: str, to: list[str], variables: Mapping[str, str]
) -> None:
    """Queue the system e-mail `template` (a `SystemEmail` key) for `to`, plus the template's
    cc and bcc. A disabled template queues nothing."""
    chosen = (await email_settings(context)).template(SystemEmail(template))
    recipients = [address for address in to if address]
    if not chosen.is_enabled or not (recipients or chosen.cc or chosen.bcc):
        return
    rendered = render_email(
        template=chosen,
        to=recipients,
        variables=variables,
        default_sender=context.settings.mail_from,
    )
    context.session.add(
        OutboxEmail(
            template=template,
            sender=rendered.sender,
            to=rendered.to,
            cc=rendered.cc,
            bcc=rendered.bcc,
            subject=rendered.subject,
            body=rendered.body,
            created_at=context.now,
            next_attempt_at=context.now,
        )
    )
    await context.session.flush()


async def email_settings(context: Context) -> SystemEmails:
    return await load_section(context, SYSTEM_EMAILS_SECTION, SystemEmails)


async def update_email_setting(
    context: Context, key: SystemEmail, changes: Mapping[str, Any]
) -> EmailTemplate:
    """Seed 001 "System Email Settings Edit Page"; errors name the input's fields."""
    current = (await email_settings(context)).template(key)
    try:
        updated = await save_section(
            context,
            SYSTEM_EMAILS_SECTION,
            SystemEmails,
            {key.value: {**current.model_dump(), **changes}},
        )
    except DomainErrors as errors:
        # The section's errors are located under the template's key; the input has no such level
        # and calls the sender `from`.
        for error in errors.errors:
            path = (error.field or [])[1:]
            error.field = ["from" if name == "sender" else name for name in path] or None
        raise
    return updated.template(key)


@dataclass(frozen=True)
class OutboxQuery:
    statuses: Sequence[OutboxStatus] = ()
    templates: Sequence[SystemEmail] = ()
    # An address among the message's to, cc or bcc (any case).
    recipient: str | None = None


def outbox_statement(query: OutboxQuery) -> Select[Any]:
    """The outbox, newest first: `outboxEmails` for staff and `tradepost outbox`."""
    statement = select(OutboxEmail).order_by(col(OutboxEmail.id).desc())
    if query.statuses:
        statement = statement.where(col(OutboxEmail.status).in_(query.statuses))
    if query.templates:
        statement = statement.where(
            col(OutboxEmail.template).in_([template.value for template in query.templates])
        )
    if query.recipient is not None:
        address = query.recipient.strip().lower()
        errors = check_email("recipient", address)
        if errors:
            raise DomainError(ErrorCode.INVALID, errors[0].message, field=["filter", "recipient"])
        # The lists are JSON arrays: the address as a JSON string is an element, not a part of one.
        element = json.dumps(address)
        statement = statement.where(
            or_(
                *(
                    func.lower(cast(column, Text)).contains(element, autoescape=True)
                    for column in (
                        col(OutboxEmail.to),
                        col(OutboxEmail.cc),
                        col(OutboxEmail.bcc),
                    )
                )
            )
        )
    return statement


async def outbox(
    session: AsyncSession, *, status: OutboxStatus | None, limit: int
) -> list[OutboxEmail]:
    """`tradepost outbox`: the newest messages first."""
    query = OutboxQuery(statuses=[status] if status is not None else [])
    return list((await session.scalars(outbox_statement(query).limit(limit))).all())


async def claim_due(
    session: AsyncSession, *, now: datetime, lease_seconds: int
) -> OutboxEmail | None:
    """Take the oldest message that is due. Moving its next attempt past the lease (only if no
    other sender moved it first) keeps two senders from delivering it twice; if this sender dies
    mid-delivery, the message is due again when the lease ends."""
    while True:
        message = await session.scalar(
            select(OutboxEmail)
            .where(
                col(OutboxEmail.status) == OutboxStatus.PENDING,
                col(OutboxEmail.next_attempt_at) <= now,
            )
            .order_by(col(OutboxEmail.next_attempt_at), col(OutboxEmail.id))
            .limit(1)
        )
        if message is None:
            return None
        claimed = await session.execute(
            update(OutboxEmail)
            .where(
                col(OutboxEmail.id) == message.id,
                col(OutboxEmail.attempts) == message.attempts,
                col(OutboxEmail.status) == OutboxStatus.PENDING,
            )
            .values(
                attempts=message.attempts + 1,
                next_attempt_at=now + timedelta(seconds=lease_seconds),
            )
            .execution_options(synchronize_session=False)
        )
        if getattr(claimed, "rowcount", 0) == 1:
            return message


async def settle_delivery(
    session: AsyncSession,
    message_id: int,
    *,
    error: str | None,
    now: datetime,
    max_attempts: int,
    retry_seconds: int,
) -> OutboxStatus:
    """Mark a delivered message SENT; after a failure retry later with back-off, or mark it
    FAILED once the attempts are used up."""
    message = await session.get(OutboxEmail, message_id)
    assert message is not None
    if error is None:
        message.status, message.sent_at, message.last_error = OutboxStatus.SENT, now, None
    elif message.attempts >= max_attempts:
        message.status, message.last_error = OutboxStatus.FAILED, error[:1000]
    else:
        message.last_error = error[:1000]
        message.next_attempt_at = now + timedelta(
            seconds=retry_delay_seconds(attempts=message.attempts, base_seconds=retry_seconds)
        )
    return message.status
