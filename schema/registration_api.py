"""Self-service registration and credential recovery (seed 001, seed 002), the Customer Data
settings, and the workers' `moveContact`."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.credential_requests import CredentialRequestKind
from domain.customers import AddressChanges, ContactChanges
from domain.registration import AccountRegistration
from resolvers import registration
from resolvers.credential_requests import Attempt, account_key, attempt_key
from resolvers.registration import Registration
from schema.auth_api import viewer_of
from schema.credential_requests_api import run_attempt
from schema.customer_types import Account, AccountMembership, Viewer
from schema.info import Info
from schema.input_values import key_of, set_values
from schema.payloads import Payload, mutation
from schema.permissions import require_admin, require_staff
from schema.registration_inputs import (
    MoveContactInput,
    RegisterAccountInput,
    RegisterContactInput,
    RequestPasswordResetInput,
    RequestUsernameReminderInput,
    ResetPasswordInput,
    UpdateCustomerDataSettingsInput,
    VerifyAccountInput,
)
from schema.registration_types import CustomerDataSettings, VerifiedAccount


@strawberry.type
class RegistrationPayload(Payload):
    token: str | None = strawberry.field(
        default=None, description="A session, when the settings give immediate access."
    )
    expires_at: datetime | None = None
    viewer: Viewer | None = None
    awaiting_approval: bool | None = strawberry.field(
        default=None, description="True: the login is disabled until a worker enables it."
    )


@strawberry.type
class RegisterAccountPayload(RegistrationPayload):
    account: Account | None = None


@strawberry.type
class RegisterContactPayload(RegistrationPayload):
    pass


@strawberry.type
class VerifyAccountPayload(Payload):
    ticket: str | None = strawberry.field(
        default=None, description="Pass to `registerContact`; single use, short-lived."
    )
    account: VerifiedAccount | None = None


@strawberry.type
class RequestPasswordResetPayload(Payload):
    pass


@strawberry.type
class ResetPasswordPayload(Payload):
    pass


@strawberry.type
class RequestUsernameReminderPayload(Payload):
    pass


@strawberry.type
class MoveContactPayload(Payload):
    membership: AccountMembership | None = None


@strawberry.type
class UpdateCustomerDataSettingsPayload(Payload):
    customer_data: CustomerDataSettings | None = None


def _registered(info: Info, done: Registration) -> dict[str, object]:
    return {
        "token": done.token,
        "expires_at": done.session.expires_at if done.session else None,
        "viewer": viewer_of(info),
        "awaiting_approval": done.token is None,
    }


@strawberry.type
class RegistrationMutation:
    @mutation(
        RegisterAccountPayload, gate=None, description="Seed 001 'Create an account' (visitors)."
    )
    async def register_account(self, info: Info, input: RegisterAccountInput) -> dict[str, object]:
        form = AccountRegistration(
            **{
                **set_values(input),
                "billing_address": AddressChanges(**set_values(input.billing_address)),
            }
        )
        done = await registration.register_account(info.context, form)
        return {**_registered(info, done), "account": Account.from_row(done.account)}

    @strawberry.mutation(
        description="Prove ownership of an account (number, billing postcode, a recent invoice) "
        "to add a login to it. One answer for every failure; rate limited."
    )
    async def verify_account(self, info: Info, input: VerifyAccountInput) -> VerifyAccountPayload:
        attempt = Attempt(
            kind=CredentialRequestKind.ACCOUNT_VERIFICATION,
            account_code=account_key(input.account_number),
        )

        async def action() -> dict[str, object]:
            verified = await registration.verify_account(
                info.context,
                account_code=input.account_number,
                postcode=input.billing_postcode,
                invoice_number=input.invoice_number,
            )
            return {
                "ticket": verified.ticket,
                "account": VerifiedAccount(
                    account_number=verified.account_code,
                    company_name=verified.company_name,
                    masked_street=verified.masked_street,
                    city=verified.city,
                    region=verified.region,
                    postcode=verified.postcode,
                    ticket_expires_at=verified.expires_at,
                ),
            }

        return await run_attempt(info.context, VerifyAccountPayload, attempt, action)

    @mutation(
        RegisterContactPayload,
        gate=None,
        description="Seed 001: a login for the account a ticket verified.",
    )
    async def register_contact(self, info: Info, input: RegisterContactInput) -> dict[str, object]:
        done = await registration.register_contact(
            info.context,
            input.ticket,
            ContactChanges(**set_values(input, exclude=frozenset({"ticket"}))),
        )
        return _registered(info, done)

    @strawberry.mutation(
        description="E-mail a password-reset code. The answer is the same whether or not the "
        "user exists."
    )
    async def request_password_reset(
        self, info: Info, input: RequestPasswordResetInput
    ) -> RequestPasswordResetPayload:
        attempt = Attempt(
            kind=CredentialRequestKind.PASSWORD_RESET_REQUEST,
            username_or_email=attempt_key(input.username_or_email),
        )

        async def action() -> dict[str, object]:
            await registration.request_password_reset(
                info.context, attempt, input.username_or_email
            )
            return {}

        return await run_attempt(info.context, RequestPasswordResetPayload, attempt, action)

    @strawberry.mutation(
        description="Choose a new password with a reset code; logs out everywhere."
    )
    async def reset_password(self, info: Info, input: ResetPasswordInput) -> ResetPasswordPayload:
        attempt = Attempt(kind=CredentialRequestKind.PASSWORD_RESET)

        async def action() -> dict[str, object]:
            await registration.reset_password(
                info.context, attempt, input.token, input.new_password
            )
            return {}

        return await run_attempt(info.context, ResetPasswordPayload, attempt, action)

    @strawberry.mutation(
        description="E-mail the usernames of the logins with this e-mail address; the answer is "
        "the same whether or not there are any."
    )
    async def request_username_reminder(
        self, info: Info, input: RequestUsernameReminderInput
    ) -> RequestUsernameReminderPayload:
        attempt = Attempt(
            kind=CredentialRequestKind.USERNAME_REMINDER,
            username_or_email=attempt_key(input.email),
        )

        async def action() -> dict[str, object]:
            await registration.request_username_reminder(info.context, attempt, input.email)
            return {}

        return await run_attempt(info.context, RequestUsernameReminderPayload, attempt, action)

    @mutation(
        MoveContactPayload,
        gate=require_staff,
        description="Seed 001 workflow 3: move a contact's default membership to an account "
        "created in the ERP (staff). Its sessions end.",
    )
    async def move_contact(self, info: Info, input: MoveContactInput) -> dict[str, object]:
        membership = await registration.move_contact(
            info.context,
            key_of(input.contact_id, "Contact", field="contactId"),
            key_of(input.account_id, "Account", field="accountId"),
        )
        return {"membership": AccountMembership.from_row(membership)}

    @mutation(
        UpdateCustomerDataSettingsPayload,
        gate=require_admin,
        description="Settings workspace > Customer Data (ADMIN workers).",
    )
    async def update_customer_data_settings(
        self, info: Info, input: UpdateCustomerDataSettingsInput
    ) -> dict[str, object]:
        updated = await registration.update_customer_data_settings(info.context, set_values(input))
        return {"customer_data": CustomerDataSettings.from_model(updated)}
