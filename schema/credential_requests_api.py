"""The request log for workers (`credentialRequests`, `blocks`, `unblock`), and `run_attempt`:
how every guarded mutation (login, verification, password and username requests) runs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry

from core.context import Context
from domain.credential_requests import CredentialRequestOutcome
from domain.errors import DomainError
from resolvers import credential_requests
from resolvers.credential_requests import (
    Attempt,
    CredentialRequestQuery,
)
from schema.credential_requests_types import (
    Block,
    CredentialRequest,
    CredentialRequestFilter,
    UnblockInput,
)
from schema.errors import UserError
from schema.info import Info
from schema.payloads import Payload, mutation, run_mutation
from schema.permissions import require_staff
from schema.relay import Connection, PageRequest, connection, paginate, paginate_list

P = TypeVar("P", bound=Payload)


async def run_attempt(
    context: Context,
    payload: type[P],
    attempt: Attempt,
    action: Callable[[], Awaitable[dict[str, Any]]],
) -> P:
    """Refuse a blocked subject before any secret is checked; otherwise run the mutation and log
    its outcome. The log is written outside the mutation's savepoint, so a refused attempt is
    remembered although the mutation changed nothing."""
    try:
        await credential_requests.refuse_if_limited(context, attempt)
    except DomainError as refusal:
        return payload(errors=[UserError.from_domain(refusal)])
    result = await run_mutation(context, payload, action)
    succeeded = attempt.succeeded if attempt.succeeded is not None else not result.errors
    outcome = CredentialRequestOutcome.SUCCESS if succeeded else CredentialRequestOutcome.FAILURE
    await credential_requests.record(context, attempt, outcome)
    return result


def _block(found: credential_requests.Block) -> Block:
    return Block(
        subject=found.subject,
        value=found.value,
        ip_address=found.ip_address,
        kinds=found.kinds,
        attempts=found.attempts,
        blocked_until=found.blocked_until,
    )


@strawberry.type
class UnblockPayload(Payload):
    cleared_attempts: int = 0
    blocks: list[Block] = strawberry.field(
        default_factory=list, description="What is still blocked."
    )


@strawberry.type
class CredentialRequestsQuery:
    @connection(description="Seed 002 'Username / Password Request' log (staff).")
    async def credential_requests(
        self,
        info: Info,
        page: PageRequest,
        filter: CredentialRequestFilter | None = None,
    ) -> Connection[CredentialRequest]:
        require_staff(info.context.viewer)
        filter = filter or CredentialRequestFilter()
        query = CredentialRequestQuery(
            kind=filter.kind,
            outcome=filter.outcome,
            ip_address=filter.ip_address,
            username_or_email=filter.username_or_email,
            account_code=filter.account_number,
            since=filter.since,
            until=filter.until,
        )
        return await paginate(
            info,
            credential_requests.credential_requests_statement(query),
            page,
            CredentialRequest.from_row,
        )

    @connection(description="IP addresses, usernames/e-mails and accounts blocked now.")
    async def blocks(self, info: Info, page: PageRequest) -> Connection[Block]:
        require_staff(info.context.viewer)
        return await paginate_list(await credential_requests.blocks(info.context), page, _block)


@strawberry.type
class CredentialRequestsMutation:
    @mutation(UnblockPayload, gate=require_staff, description="Lift a block at once (staff).")
    async def unblock(self, info: Info, input: UnblockInput) -> dict[str, object]:
        cleared = await credential_requests.unblock(
            info.context,
            credential_requests.block_subjects(
                ip_address=input.ip_address,
                username_or_email=input.username_or_email,
                account_number=input.account_number,
            ),
        )
        return {
            "cleared_attempts": cleared,
            "blocks": [_block(b) for b in await credential_requests.blocks(info.context)],
        }
