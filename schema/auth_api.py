"""Who is calling (`viewer`), logging in and out, and integrators' API keys."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.credential_requests import CredentialRequestKind
from domain.enums import ApiKeyScope
from domain.errors import DomainError
from models import ApiKey as ApiKeyRow
from resolvers import auth
from resolvers.credential_requests import Attempt, attempt_key
from schema.credential_requests_api import run_attempt
from schema.customer_types import Viewer
from schema.errors import UserError
from schema.info import Info
from schema.input_values import key_of
from schema.payloads import Payload, mutation
from schema.permissions import require_admin, require_authenticated, require_people
from schema.relay import Connection, FromRow, Node, PageRequest, connection, paginate_list


@strawberry.type(description="An integrator's key; the secret itself is shown only once.")
class ApiKey(Node, FromRow):
    row: strawberry.Private[ApiKeyRow]
    name: str
    prefix: str = strawberry.field(description="The key's first characters, to tell keys apart.")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @strawberry.field
    def scopes(self) -> list[ApiKeyScope]:
        return [ApiKeyScope(s) for s in self.row.scopes]


@strawberry.input
class LoginInput:
    username: str
    password: str


@strawberry.type
class LoginPayload(Payload):
    token: str | None = strawberry.field(
        default=None, description="Send as `Authorization: Bearer <token>`."
    )
    expires_at: datetime | None = None
    viewer: Viewer | None = None


@strawberry.type
class LogoutPayload(Payload):
    pass


@strawberry.input
class ChangePasswordInput:
    current_password: str
    new_password: str


@strawberry.type
class ChangePasswordPayload(Payload):
    ended_sessions: int | None = strawberry.field(
        default=None, description="How many other sessions of the login were ended."
    )


@strawberry.input
class CreateApiKeyInput:
    name: str
    scopes: list[ApiKeyScope]


@strawberry.type
class CreateApiKeyPayload(Payload):
    api_key: ApiKey | None = None
    secret: str | None = strawberry.field(default=None, description="Shown once; store it now.")


@strawberry.input
class RevokeApiKeyInput:
    id: strawberry.ID


@strawberry.type
class RevokeApiKeyPayload(Payload):
    api_key: ApiKey | None = None


def viewer_of(info: Info) -> Viewer:
    return Viewer.of(info.context.viewer)


@strawberry.type
class AuthQuery:
    @strawberry.field(description="Who is calling: the contact or worker, and the active account.")
    def viewer(self, info: Info) -> Viewer:
        return viewer_of(info)

    @connection(description="Integrators' API keys (ADMIN workers).")
    async def api_keys(self, info: Info, page: PageRequest) -> Connection[ApiKey]:
        require_admin(info.context.viewer)
        return await paginate_list(await auth.api_keys(info.context), page, ApiKey.from_row)


@strawberry.type
class AuthMutation:
    @strawberry.mutation(description="Open a session for a contact or a worker.")
    async def login(self, info: Info, input: LoginInput) -> LoginPayload:
        # Rate limited and logged like every credential check (seed 002).
        attempt = Attempt(
            kind=CredentialRequestKind.LOGIN, username_or_email=attempt_key(input.username)
        )

        async def action() -> dict[str, object]:
            token, session = await auth.login(info.context, input.username, input.password)
            return {
                "token": token,
                "expires_at": session.expires_at,
                "viewer": viewer_of(info),
            }

        return await run_attempt(info.context, LoginPayload, attempt, action)

    @mutation(LogoutPayload, gate=require_authenticated, description="End the current session.")
    async def logout(self, info: Info) -> dict[str, object]:
        await auth.logout(info.context)
        return {}

    @strawberry.mutation(
        description="Change the signed-in contact's or worker's password; needs the current one "
        "(a wrong one counts like a failed login). Every other session of the login ends."
    )
    async def change_password(
        self, info: Info, input: ChangePasswordInput
    ) -> ChangePasswordPayload:
        require_people(info.context.viewer)
        try:
            login = await auth.signed_in_login(info.context)
        except DomainError as error:
            return ChangePasswordPayload(errors=[UserError.from_domain(error)])
        attempt = Attempt(
            kind=CredentialRequestKind.PASSWORD_CHANGE,
            username_or_email=attempt_key(login.username),
        )

        async def action() -> dict[str, object]:
            ended = await auth.change_password(
                info.context, attempt, input.current_password, input.new_password
            )
            return {"ended_sessions": ended}

        return await run_attempt(info.context, ChangePasswordPayload, attempt, action)

    @mutation(
        CreateApiKeyPayload,
        gate=require_admin,
        description="Create an integrator's API key (ADMIN workers).",
    )
    async def create_api_key(self, info: Info, input: CreateApiKeyInput) -> dict[str, object]:
        secret, key = await auth.create_api_key(info.context, input.name, input.scopes)
        return {"api_key": ApiKey.from_row(key), "secret": secret}

    @mutation(
        RevokeApiKeyPayload,
        gate=require_admin,
        description="Revoke an API key at once (ADMIN workers).",
    )
    async def revoke_api_key(self, info: Info, input: RevokeApiKeyInput) -> dict[str, object]:
        key = await auth.revoke_api_key(info.context, key_of(input.id, "ApiKey", field="id"))
        return {"api_key": ApiKey.from_row(key)}
