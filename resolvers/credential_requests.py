"""The request log and its limits (seed 002 "UN/PW requests"): every guarded attempt is written
down, and a subject (IP address, username or e-mail, both together, account number) with too
many counted attempts of the attempt's group in the window is refused before any secret is
checked."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, update
from sqlmodel import col

from core.context import Context
from core.settings import Settings
from domain.credential_requests import (
    KIND_GROUPS,
    BlockSubject,
    CredentialRequestKind,
    CredentialRequestOutcome,
    LimitGroup,
    RateLimits,
    counts_against_limit,
    is_blocked,
    kinds_of,
    limits_for,
)
from domain.errors import DomainError, ErrorCode, raise_if_any
from domain.validation import to_camel
from models import CredentialRequest
from models.column_limits import value_errors

IP_ADDRESS = col(CredentialRequest.ip_address)
USERNAME_OR_EMAIL = col(CredentialRequest.username_or_email)
ACCOUNT_CODE = col(CredentialRequest.account_code)
SUBJECT_COLUMNS = {
    BlockSubject.IP_ADDRESS: (IP_ADDRESS,),
    BlockSubject.USERNAME_OR_EMAIL: (USERNAME_OR_EMAIL,),
    BlockSubject.USERNAME_OR_EMAIL_AT_IP_ADDRESS: (USERNAME_OR_EMAIL, IP_ADDRESS),
    BlockSubject.ACCOUNT_NUMBER: (ACCOUNT_CODE,),
}
RATE_LIMITED_MESSAGE = "Too many attempts; try again later"
# The names (usernames, account numbers) whose turn this request's transaction holds.
_HELD_TURNS = "tradepost_credential_turns"


@dataclass
class Attempt:
    kind: CredentialRequestKind
    username_or_email: str | None = None
    account_code: str | None = None
    # Set by a resolver whose answer hides the outcome (a reset asked for an unknown user), or
    # whose errors after a correct password are no failed credential check.
    succeeded: bool | None = None

    @property
    def group(self) -> LimitGroup:
        return KIND_GROUPS[self.kind]

    def subjects(self, ip_address: str | None) -> dict[BlockSubject, tuple[str, ...]]:
        """The values each subject has for this attempt; a subject lacking one is left out."""
        name = self.username_or_email
        values = {
            BlockSubject.IP_ADDRESS: (ip_address,),
            BlockSubject.USERNAME_OR_EMAIL: (name,),
            BlockSubject.USERNAME_OR_EMAIL_AT_IP_ADDRESS: (name, ip_address),
            BlockSubject.ACCOUNT_NUMBER: (self.account_code,),
        }
        return {
            subject: tuple(v for v in value if v) for subject, value in values.items() if all(value)
        }


def _length(column: Any) -> int:
    length: int = column.expression.type.length
    return length


def attempt_key(value: str | None) -> str | None:
    """How names and numbers are logged and compared: trimmed, lower-case, cut to the log's
    column."""
    cleaned = (value or "").strip().lower()[: _length(CredentialRequest.username_or_email)]
    return cleaned or None


def account_key(value: str | None) -> str | None:
    """Account numbers are logged as the platform stores them: trimmed, upper-case, cut to the
    log's column."""
    cleaned = (value or "").strip().upper()[: _length(CredentialRequest.account_code)]
    return cleaned or None


def rate_limits(settings: Settings) -> RateLimits:
    return RateLimits(
        failures=settings.rate_limit_failures,
        ip_failures=settings.rate_limit_ip_failures,
        username_failures=settings.rate_limit_username_failures,
        window=timedelta(minutes=settings.rate_limit_window_minutes),
        username_window=timedelta(minutes=settings.rate_limit_username_window_minutes),
    )


def block_subjects(
    *, ip_address: str | None, username_or_email: str | None, account_number: str | None
) -> dict[BlockSubject, str | None]:
    """What `unblock` (the mutation and the CLI) was asked to lift, as the log keys it."""
    return {
        BlockSubject.IP_ADDRESS: (ip_address or "").strip() or None,
        BlockSubject.USERNAME_OR_EMAIL: attempt_key(username_or_email),
        BlockSubject.ACCOUNT_NUMBER: account_key(account_number),
    }


def _counted() -> ColumnElement[bool]:
    """`counts_against_limit` as SQL, derived from the rule so the two cannot drift apart."""
    return or_(
        *(
            and_(col(CredentialRequest.kind) == kind, col(CredentialRequest.outcome) == outcome)
            for kind in CredentialRequestKind
            for outcome in CredentialRequestOutcome
            if counts_against_limit(kind=kind, outcome=outcome)
        )
    )


def _of_subject(subject: BlockSubject, values: tuple[str, ...]) -> ColumnElement[bool]:
    columns = SUBJECT_COLUMNS[subject]
    return and_(*(column == value for column, value in zip(columns, values, strict=True)))


def _turn_key(*parts: str) -> int:
    """A PostgreSQL advisory lock key (a signed 64-bit integer) for a throttled name."""
    digest = hashlib.blake2b(":".join(("tradepost", *parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


async def _take_turn(context: Context, attempt: Attempt) -> bool:
    """Attempts on one address and on one name take turns until their transaction ends, so
    counting, checking and recording an attempt is one step: without it, concurrent guesses
    all counted the same old failures (40 at once got 20 password checks instead of 5).

    PostgreSQL only: SQLite's writers already take turns for a whole transaction
    (`core.sqlite_writers`). A request holds one address (its own) and waits for a name only
    while holding no other name, so two requests never wait for each other: a second name in
    the same request (an aliased attempt) is only tried for, and a busy one refused.
    Returns False when the attempt must be refused."""
    if not context.settings.is_postgres:
        return True
    if context.client_ip:
        await context.db.execute(
            select(func.pg_advisory_xact_lock(_turn_key("address", context.client_ip)))
        )
    name = attempt.username_or_email or attempt.account_code
    if not name:
        return True
    key = _turn_key(attempt.group.value, name)
    held: set[int] = context.session.info.setdefault(_HELD_TURNS, set())
    if held - {key}:
        if not await context.db.scalar(select(func.pg_try_advisory_xact_lock(key))):
            return False
    else:
        await context.db.execute(select(func.pg_advisory_xact_lock(key)))
    held.add(key)
    return True


async def refuse_if_limited(context: Context, attempt: Attempt) -> None:
    """One query for every limit on the attempt's group; a refusal is logged as RATE_LIMITED."""
    subjects = attempt.subjects(context.client_ip)
    limits = [
        limit
        for limit in limits_for(attempt.group, rate_limits(context.settings))
        if limit.subject in subjects
    ]
    if not await _take_turn(context, attempt):
        await _refuse(context, attempt)
    if not limits:
        return
    counts = [
        func.count().filter(
            _of_subject(limit.subject, subjects[limit.subject]),
            col(CredentialRequest.occurred_at) >= context.now - limit.window,
        )
        for limit in limits
    ]
    row = (
        await context.db.execute(
            select(*counts).where(
                col(CredentialRequest.kind).in_(kinds_of(attempt.group)),
                col(CredentialRequest.occurred_at)
                >= context.now - max(limit.window for limit in limits),
                col(CredentialRequest.cleared_at).is_(None),
                _counted(),
                or_(*(_of_subject(limit.subject, subjects[limit.subject]) for limit in limits)),
            )
        )
    ).one()
    if any(
        is_blocked(counted=int(n), threshold=limit.threshold)
        for n, limit in zip(row, limits, strict=True)
    ):
        await _refuse(context, attempt)


async def _refuse(context: Context, attempt: Attempt) -> None:
    await record(context, attempt, CredentialRequestOutcome.RATE_LIMITED)
    raise DomainError(ErrorCode.RATE_LIMITED, RATE_LIMITED_MESSAGE)


async def record(context: Context, attempt: Attempt, outcome: CredentialRequestOutcome) -> None:
    """Flushed at once, so the next aliased attempt in the same request counts this one."""
    context.session.add(
        CredentialRequest(
            occurred_at=context.now,
            kind=attempt.kind,
            ip_address=context.client_ip,
            username_or_email=attempt.username_or_email,
            account_code=attempt.account_code,
            outcome=outcome,
        )
    )
    await context.session.flush()


@dataclass(frozen=True)
class CredentialRequestQuery:
    kind: CredentialRequestKind | None = None
    outcome: CredentialRequestOutcome | None = None
    ip_address: str | None = None
    username_or_email: str | None = None
    account_code: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def credential_requests_statement(query: CredentialRequestQuery) -> Select[Any]:
    """Seed 002: the log of every request, newest first."""
    statement = select(CredentialRequest)
    exact = {
        col(CredentialRequest.kind): query.kind,
        col(CredentialRequest.outcome): query.outcome,
        col(CredentialRequest.ip_address): query.ip_address,
        col(CredentialRequest.username_or_email): attempt_key(query.username_or_email),
        col(CredentialRequest.account_code): account_key(query.account_code),
    }
    for column, value in exact.items():
        if value is not None:
            statement = statement.where(column == value)
    if query.since is not None:
        statement = statement.where(col(CredentialRequest.occurred_at) >= query.since)
    if query.until is not None:
        statement = statement.where(col(CredentialRequest.occurred_at) < query.until)
    return statement.order_by(
        col(CredentialRequest.occurred_at).desc(), col(CredentialRequest.id).desc()
    )


@dataclass(frozen=True)
class Block:
    subject: BlockSubject
    # The username, e-mail, account number or address; with an address for a name at one.
    value: str
    ip_address: str | None
    kinds: list[CredentialRequestKind]
    attempts: int
    # The block lifts at the latest then (earlier if older attempts leave the window first).
    blocked_until: datetime


async def blocks(context: Context) -> list[Block]:
    """Seed 002: "view the blocked status of a specific IP Address, Username, or Email"; one
    query per limit (`limits_for`)."""
    found: list[Block] = []
    numbers = rate_limits(context.settings)
    for group in LimitGroup:
        for limit in limits_for(group, numbers):
            columns = SUBJECT_COLUMNS[limit.subject]
            # (value[, address], attempts, latest attempt) per blocked subject.
            rows: Any = await context.db.execute(
                select(*columns, func.count(), func.max(col(CredentialRequest.occurred_at)))
                .where(
                    *(column.is_not(None) for column in columns),
                    col(CredentialRequest.kind).in_(kinds_of(group)),
                    col(CredentialRequest.occurred_at) >= context.now - limit.window,
                    col(CredentialRequest.cleared_at).is_(None),
                    _counted(),
                )
                .group_by(*columns)
                .having(func.count() >= limit.threshold)
                .order_by(*columns)
            )
            found += [
                Block(
                    subject=limit.subject,
                    value=row[0],
                    ip_address=row[1] if len(columns) == 2 else None,
                    kinds=kinds_of(group),
                    attempts=row[-2],
                    blocked_until=row[-1] + limit.window,
                )
                for row in rows
            ]
    return found


async def unblock(context: Context, subjects: dict[BlockSubject, str | None]) -> int:
    """Seed 002: workers "can unblock them as needed". The attempts stay in the log, marked
    cleared, and no longer count; clearing a name or an address also lifts its blocks at an
    address or for a name. Returns how many attempts were cleared."""
    given = {s: v for s, v in subjects.items() if v}
    if not given:
        raise DomainError(
            ErrorCode.REQUIRED, "Give an IP address, a username or e-mail, or an account number"
        )
    raise_if_any(
        [
            error
            for subject, value in given.items()
            # Each subject unblock takes is one column.
            for error in value_errors(
                SUBJECT_COLUMNS[subject][0], value, field=[to_camel(subject.name.lower())]
            )
        ]
    )
    result = await context.db.execute(
        update(CredentialRequest)
        .where(
            col(CredentialRequest.cleared_at).is_(None),
            _counted(),
            or_(*(_of_subject(s, (v,)) for s, v in given.items())),
        )
        .values(cleared_at=context.now)
    )
    return int(getattr(result, "rowcount", 0) or 0)
