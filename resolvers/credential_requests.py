"""The request log and its limits (seed 002 "UN/PW requests"): every guarded attempt is written
down, and a subject (IP address, username or e-mail, account number) with too many counted
attempts in the window is refused before any secret is checked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, update
from sqlmodel import col

from api.context import Context
from domain.credential_requests import (
    BlockSubject,
    CredentialRequestKind,
    CredentialRequestOutcome,
    counts_against_limit,
    is_blocked,
)
from domain.errors import DomainError, ErrorCode
from models import CredentialRequest

SUBJECT_COLUMNS = {
    BlockSubject.IP_ADDRESS: col(CredentialRequest.ip_address),
    BlockSubject.USERNAME_OR_EMAIL: col(CredentialRequest.username_or_email),
    BlockSubject.ACCOUNT_NUMBER: col(CredentialRequest.account_code),
}
RATE_LIMITED_MESSAGE = "Too many attempts; try again later"


@dataclass
class Attempt:
    kind: CredentialRequestKind
    username_or_email: str | None = None
    account_code: str | None = None
    # Set by a resolver whose answer hides the outcome (a reset asked for an unknown user).
    succeeded: bool | None = None

    def subjects(self, ip_address: str | None) -> dict[BlockSubject, str]:
        values = {
            BlockSubject.IP_ADDRESS: ip_address,
            BlockSubject.USERNAME_OR_EMAIL: self.username_or_email,
            BlockSubject.ACCOUNT_NUMBER: self.account_code,
        }
        return {subject: value for subject, value in values.items() if value}


def attempt_key(value: str | None) -> str | None:
    """How names and numbers are logged and compared: trimmed, lower-case, at most 254 chars."""
    cleaned = (value or "").strip().lower()[:254]
    return cleaned or None


def account_key(value: str | None) -> str | None:
    """Account numbers are logged as the platform stores them: trimmed, upper-case."""
    cleaned = (value or "").strip().upper()[:32]
    return cleaned or None


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


def _window_start(context: Context) -> datetime:
    return context.now - timedelta(minutes=context.settings.rate_limit_window_minutes)


async def refuse_if_limited(context: Context, attempt: Attempt) -> None:
    """One query for every subject of the attempt; a refusal is logged as RATE_LIMITED."""
    subjects = attempt.subjects(context.client_ip)
    counts = [
        func.count().filter(SUBJECT_COLUMNS[subject] == value)
        for subject, value in subjects.items()
    ]
    if not counts:
        return
    row = (
        await context.db.execute(
            select(*counts).where(
                col(CredentialRequest.occurred_at) >= _window_start(context),
                col(CredentialRequest.cleared_at).is_(None),
                _counted(),
                or_(*(SUBJECT_COLUMNS[s] == v for s, v in subjects.items())),
            )
        )
    ).one()
    threshold = context.settings.rate_limit_failures
    if any(is_blocked(counted=int(n), threshold=threshold) for n in row):
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
    value: str
    attempts: int
    # The block lifts at the latest then (earlier if older attempts leave the window first).
    blocked_until: datetime


async def blocks(context: Context) -> list[Block]:
    """Seed 002: "view the blocked status of a specific IP Address, Username, or Email"; one
    query per kind of subject."""
    window = timedelta(minutes=context.settings.rate_limit_window_minutes)
    threshold = context.settings.rate_limit_failures
    found: list[Block] = []
    for subject, column in SUBJECT_COLUMNS.items():
        # (value, attempts, latest attempt) per blocked subject.
        rows: Any = await context.db.execute(
            select(column, func.count(), func.max(col(CredentialRequest.occurred_at)))
            .where(
                column.is_not(None),
                col(CredentialRequest.occurred_at) >= _window_start(context),
                col(CredentialRequest.cleared_at).is_(None),
                _counted(),
            )
            .group_by(column)
            .having(func.count() >= threshold)
            .order_by(column)
        )
        found += [
            Block(subject=subject, value=row[0], attempts=row[1], blocked_until=row[2] + window)
            for row in rows
        ]
    return found


async def unblock(context: Context, subjects: dict[BlockSubject, str | None]) -> int:
    """Seed 002: workers "can unblock them as needed". The attempts stay in the log, marked
    cleared, and no longer count. Returns how many attempts were cleared."""
    given = {s: v for s, v in subjects.items() if v}
    if not given:
        raise DomainError(
            ErrorCode.REQUIRED, "Give an IP address, a username or e-mail, or an account number"
        )
    result = await context.db.execute(
        update(CredentialRequest)
        .where(
            col(CredentialRequest.cleared_at).is_(None),
            _counted(),
            or_(*(SUBJECT_COLUMNS[s] == v for s, v in given.items())),
        )
        .values(cleared_at=context.now)
    )
    return int(getattr(result, "rowcount", 0) or 0)
