"""System e-mail settings (seed 001 "Email Settings") as GraphQL objects and inputs."""

from __future__ import annotations

from typing import Self

import strawberry

from domain.system_email import EmailTemplate, SystemEmail

strawberry.enum(SystemEmail)

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
