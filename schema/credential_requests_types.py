"""The username/password request log (seed 002) as GraphQL objects and inputs."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.credential_requests import (
    BlockSubject,
    CredentialRequestKind,
    CredentialRequestOutcome,
)
from models import CredentialRequest as CredentialRequestRow
from schema.relay import FromRow, Node

strawberry.enum(CredentialRequestKind)
strawberry.enum(CredentialRequestOutcome)
strawberry.enum(BlockSubject)


@strawberry.type(description="One login, verification, password-reset or username request.")
class CredentialRequest(Node, FromRow):
    row: strawberry.Private[CredentialRequestRow]
    occurred_at: datetime
    kind: CredentialRequestKind
    ip_address: str | None
    username_or_email: str | None = strawberry.field(description="As typed, lower-cased.")
    outcome: CredentialRequestOutcome
    cleared_at: datetime | None = strawberry.field(
        description="When a worker's unblock stopped this attempt counting towards a block."
    )

    @strawberry.field(description="The account number tried (account verification).")
    def account_number(self) -> str | None:
        return self.row.account_code


@strawberry.type(description="A subject refused with RATE_LIMITED until the window passes.")
class Block:
    subject: BlockSubject
    value: str = strawberry.field(
        description="The address, username or e-mail, or account number (the name of a "
        "USERNAME_OR_EMAIL_AT_IP_ADDRESS block)."
    )
    ip_address: str | None = strawberry.field(
        description="The address of a USERNAME_OR_EMAIL_AT_IP_ADDRESS block."
    )
    kinds: list[CredentialRequestKind] = strawberry.field(
        description="The requests the block refuses; other kinds go on."
    )
    attempts: int = strawberry.field(description="Attempts counted in the window.")
    blocked_until: datetime = strawberry.field(description="At the latest.")


@strawberry.input
class CredentialRequestFilter:
    kind: CredentialRequestKind | None = None
    outcome: CredentialRequestOutcome | None = None
    ip_address: str | None = None
    username_or_email: str | None = None
    account_number: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@strawberry.input(description="Give one or more subjects; their counted attempts are cleared.")
class UnblockInput:
    ip_address: str | None = None
    username_or_email: str | None = None
    account_number: str | None = None
