"""The CLI's commands that act on the database as the system (`tradepost create-worker`,
`create-api-key`, `unblock`, `outbox`, `send-mail`, `deliver-webhooks`)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from api.mail_sender import deliver_outbox
from api.webhook_sender import deliver_webhooks
from core.database import create_sessionmaker
from core.settings import Settings
from domain.enums import ApiKeyScope, WorkerRole
from domain.webhooks import WebhookDeliveryStatus
from models.outbox import OutboxEmail, OutboxStatus
from models.types import utcnow
from resolvers.auth import create_worker, issue_api_key
from resolvers.credential_requests import block_subjects, unblock
from resolvers.mail import outbox
from resolvers.system_context import migrated_engine, system_context


async def create_worker_now(
    settings: Settings,
    *,
    username: str,
    password: str,
    role: WorkerRole,
    rep_code: str | None,
    name: str | None,
) -> int:
    async with system_context(settings) as context:
        worker = await create_worker(
            context.session,
            username=username,
            password=password,
            role=role,
            rep_code=rep_code,
            name=name,
        )
        assert worker.id is not None
        return worker.id


async def create_api_key_now(settings: Settings, *, name: str, scopes: list[ApiKeyScope]) -> str:
    async with system_context(settings) as context:
        secret, _ = await issue_api_key(
            context.session, settings.secret_key, name, scopes, utcnow()
        )
        return secret


async def unblock_now(
    settings: Settings,
    *,
    ip_address: str | None,
    username_or_email: str | None,
    account: str | None,
) -> int:
    async with system_context(settings) as context:
        return await unblock(
            context,
            block_subjects(
                ip_address=ip_address, username_or_email=username_or_email, account_number=account
            ),
        )


async def list_outbox_now(
    settings: Settings, *, status: str | None, limit: int, body: bool
) -> list[str]:
    async with migrated_engine(settings) as engine, create_sessionmaker(engine)() as session:
        rows = await outbox(
            session, status=OutboxStatus(status.upper()) if status else None, limit=limit
        )
    return [_outbox_line(row) + (f"\n{row.body}" if body else "") for row in rows]


def _outbox_line(row: OutboxEmail) -> str:
    parts = [f"{row.id:>6}  {row.status.value:<7} {row.created_at:%Y-%m-%d %H:%M}"]
    parts.append("to " + (", ".join(row.to) or "-"))
    if row.cc:
        parts.append("cc " + ", ".join(row.cc))
    if row.bcc:
        parts.append("bcc " + ", ".join(row.bcc))
    parts.append(row.subject)
    if row.last_error:
        parts.append(f"({row.attempts} attempts; last: {row.last_error})")
    return "  ".join(parts)


async def send_mail_now(
    settings: Settings, *, watch_seconds: float | None, report: Callable[[str], object]
) -> None:
    async with migrated_engine(settings) as engine:
        while True:
            delivered = await deliver_outbox(settings, create_sessionmaker(engine))
            if any(delivered.counts.values()):
                counts = delivered.counts
                report(
                    f"{counts[OutboxStatus.SENT]} sent, {counts[OutboxStatus.PENDING]} to retry,"
                    f" {counts[OutboxStatus.FAILED]} failed"
                )
            if watch_seconds is None:
                return
            await asyncio.sleep(watch_seconds)


async def deliver_webhooks_now(
    settings: Settings, *, watch_seconds: float | None, report: Callable[[str], object]
) -> None:
    async with migrated_engine(settings) as engine:
        while True:
            delivered = await deliver_webhooks(settings, create_sessionmaker(engine))
            if any(delivered.counts.values()):
                counts = delivered.counts
                report(
                    f"{counts[WebhookDeliveryStatus.DELIVERED]} delivered,"
                    f" {counts[WebhookDeliveryStatus.PENDING]} to retry,"
                    f" {counts[WebhookDeliveryStatus.FAILED]} failed"
                )
            if watch_seconds is None:
                return
            await asyncio.sleep(watch_seconds)
