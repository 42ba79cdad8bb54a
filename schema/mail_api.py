"""`emailSettings` and `updateEmailSetting` (ADMIN workers)."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError

from domain.errors import DomainError
from domain.system_email import SystemEmail
from resolvers import mail
from schema.info import Info
from schema.input_values import set_values
from schema.mail_types import EmailSetting, OutboxEmail, OutboxEmailFilter, UpdateEmailSettingInput
from schema.payloads import Payload, mutation
from schema.permissions import require_admin, require_staff
from schema.relay import Connection, PageRequest, connection, paginate


@strawberry.type
class UpdateEmailSettingPayload(Payload):
    email_setting: EmailSetting | None = None


@strawberry.type
class MailQuery:
    @strawberry.field(description="Every system e-mail's template (ADMIN workers).")
    async def email_settings(self, info: Info) -> list[EmailSetting]:
        require_admin(info.context.viewer)
        templates = await mail.email_settings(info.context)
        return [EmailSetting.from_template(key, templates.template(key)) for key in SystemEmail]

    @connection(
        description="The system e-mail outbox, newest first: what was sent, is waiting or "
        "failed, to whom (ADMIN and CUSTOMER_SERVICE workers)."
    )
    async def outbox_emails(
        self,
        info: Info,
        page: PageRequest,
        filter: OutboxEmailFilter | None = None,
    ) -> Connection[OutboxEmail]:
        require_staff(info.context.viewer)
        filter = filter or OutboxEmailFilter()
        query = mail.OutboxQuery(
            statuses=filter.status or [],
            templates=filter.template or [],
            recipient=filter.recipient,
        )
        try:
            statement = mail.outbox_statement(query)
        except DomainError as error:
            raise GraphQLError(
                error.message, extensions={"code": error.code.value, "field": error.field}
            ) from error
        return await paginate(
            info,
            statement,
            page,
            OutboxEmail.from_row,
        )


@strawberry.type
class MailMutation:
    @mutation(
        UpdateEmailSettingPayload,
        gate=require_admin,
        description="Edit a system e-mail, e.g. add a cc (ADMIN workers).",
    )
    async def update_email_setting(
        self, info: Info, input: UpdateEmailSettingInput
    ) -> dict[str, object]:
        changes = set_values(input, exclude=frozenset({"key", "from_"}))
        if input.from_ is not strawberry.UNSET:
            changes["sender"] = input.from_
        template = await mail.update_email_setting(info.context, input.key, changes)
        return {"email_setting": EmailSetting.from_template(input.key, template)}
