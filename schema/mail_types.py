"""System e-mail settings (seed 001 "Email Settings") as GraphQL objects and inputs."""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry

from domain.system_email import EmailTemplate, SystemEmail, redact_secrets
from models import OutboxEmail as OutboxEmailRow
from models.outbox import OutboxStatus
from schema.relay import FromRow, Node

strawberry.enum(SystemEmail)
strawberry.enum(OutboxStatus, description="PENDING until sent; FAILED after the last retry.")

UNSET = strawberry.UNSET


@strawberry.type(description="One system e-mail's template; `$name` placeholders are filled in.")
class EmailSetting:
    key: SystemEmail
    subject: str
    body: str
    from_: str | None = strawberry.field(
        name="from", description="Null: the server's MAIL_FROM address."
    )
    cc: list[str]
    bcc: list[str]
    is_enabled: bool

    @classmethod
    def from_template(cls, key: SystemEmail, template: EmailTemplate) -> Self:
        return cls(
            key=key,
            subject=template.subject,
            body=template.body,
            from_=template.sender,
            cc=template.cc,
            bcc=template.bcc,
            is_enabled=template.is_enabled,
        )


@strawberry.input
class UpdateEmailSettingInput:
    key: SystemEmail
    subject: str | None = UNSET
    body: str | None = UNSET
    from_: str | None = strawberry.field(default=UNSET, name="from")
    cc: list[str] | None = UNSET
    bcc: list[str] | None = UNSET
    is_enabled: bool | None = UNSET


@strawberry.type(description="One system e-mail in the outbox, as rendered when it was queued.")
class OutboxEmail(Node, FromRow):
    row: strawberry.Private[OutboxEmailRow]
    to: list[str]
    cc: list[str]
    bcc: list[str]
    subject: str
    status: OutboxStatus
    attempts: int = strawberry.field(description="Delivery attempts so far.")
    next_attempt_at: datetime = strawberry.field(description="When a PENDING mail is tried next.")
    last_error: str | None = strawberry.field(description="Why the last attempt failed.")
    created_at: datetime
    sent_at: datetime | None

    @strawberry.field(description="The system e-mail it was rendered from.")
    def template(self) -> SystemEmail:
        return SystemEmail(self.row.template)

    @strawberry.field(name="from")
    def from_(self) -> str:
        return self.row.sender

    @strawberry.field(
        description="The text sent. One-time secrets (a reset code) show as their prefix and "
        "`[redacted]`: reading the outbox does not let a worker sign in as the customer."
    )
    def body(self) -> str:
        return redact_secrets(self.row.body)


@strawberry.input(description="Every condition given must hold.")
class OutboxEmailFilter:
    status: list[OutboxStatus] | None = None
    template: list[SystemEmail] | None = None
    recipient: str | None = strawberry.field(
        default=None, description="An e-mail address among the mail's to, cc or bcc (any case)."
    )
