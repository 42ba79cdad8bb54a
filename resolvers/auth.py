"""Logging in and out, and integrators' API keys."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from core.authentication import usable_memberships, viewer_for_session
from core.context import Context
from core.passwords import hash_password, verify_password
from core.tokens import API_KEY_PREFIX, SESSION_PREFIX, new_token, token_hash
from domain.credentials import check_password, check_username, normalise_username
from domain.enums import ApiKeyScope, WorkerRole
from domain.errors import DomainError, ErrorCode, raise_if_any
from domain.validation import check_required
from models import ApiKey, Contact, Session, Worker
from resolvers.credential_requests import Attempt

INVALID_LOGIN = "Invalid username or password"


async def login(context: Context, username: str, password: str) -> tuple[str, Session]:
    """Open a session and make it the request's viewer, so the payload reads as the new user.

    One answer for an unknown user and a wrong password, in body and in time: both hashes
    are always verified (a dummy one stands in for a missing user)."""
    name = normalise_username(username)
    worker = (await context.db.scalars(select(Worker).where(col(Worker.username) == name))) or [
        None
    ]
    contact = (await context.db.scalars(select(Contact).where(col(Contact.username) == name))) or [
        None
    ]
    worker_ok = verify_password(worker[0].password_hash if worker[0] else None, password)
    contact_ok = verify_password(contact[0].password_hash if contact[0] else None, password)
    if worker_ok and worker[0] is not None and worker[0].is_active:
        token, session = await _open_session(
            context, worker_id=worker[0].id, active_account_id=None
        )
        context.viewer = await viewer_for_session(context.session, session, worker[0])
        return token, session
    if contact_ok and contact[0] is not None:
        return await start_contact_session(context, contact[0])
    raise DomainError(ErrorCode.INVALID_CREDENTIALS, INVALID_LOGIN)


async def start_contact_session(context: Context, contact: Contact) -> tuple[str, Session]:
    """Log a contact in at its default usable account and make it the request's viewer (after
    a password check, or right after self-registration with immediate access)."""
    memberships = await usable_memberships(context.session, contact_id=contact.id)
    if not memberships:
        raise DomainError(
            ErrorCode.NOT_PERMITTED,
            "Your login is not active: the account is disabled or awaiting approval",
        )
    token, session = await _open_session(
        context, contact_id=contact.id, active_account_id=memberships[0].account_id
    )
    context.viewer = await viewer_for_session(context.session, session, None)
    return token, session


async def _open_session(
    context: Context,
    *,
    contact_id: int | None = None,
    worker_id: int | None = None,
    active_account_id: int | None,
) -> tuple[str, Session]:
    token = new_token(SESSION_PREFIX)
    session = Session(
        token_hash=token_hash(context.settings.secret_key, token),
        contact_id=contact_id,
        worker_id=worker_id,
        active_account_id=active_account_id,
        created_at=context.now,
        expires_at=context.now + timedelta(hours=context.settings.session_lifetime_hours),
    )
    context.session.add(session)
    await context.session.flush()
    return token, session


async def logout(context: Context) -> None:
    session_id = context.viewer.session_id
    session = await context.session.get(Session, session_id) if session_id else None
    if session is not None:
        session.revoked_at = context.now


async def revoke_sessions(
    context: Context, login: Contact | Worker, *, keep_session_id: int | None = None
) -> int:
    """End a login's sessions at once (all but `keep_session_id`): its password changed, it was
    disabled or moved, so a stolen token must stop working (ASVS 5.0 7.4.3). Returns how many
    ended."""
    owner = Session.contact_id if isinstance(login, Contact) else Session.worker_id
    result = await context.db.execute(
        update(Session)
        .where(
            col(owner) == login.id,
            col(Session.revoked_at).is_(None),
            col(Session.id) != (keep_session_id or 0),
        )
        .values(revoked_at=context.now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def signed_in_login(context: Context) -> Contact | Worker:
    """The contact or worker whose session made the request."""
    viewer = context.viewer
    login: Contact | Worker | None = None
    if viewer.contact_id is not None:
        login = await context.session.get(Contact, viewer.contact_id)
    elif viewer.worker_id is not None:
        login = await context.session.get(Worker, viewer.worker_id)
    if login is None or login.username is None or viewer.session_id is None:
        raise DomainError(ErrorCode.NOT_PERMITTED, "Only a signed-in person has a password")
    return login


async def change_password(
    context: Context, attempt: Attempt, current_password: str, new_password: str
) -> int:
    """The signed-in user's new password (OWASP Authentication Cheat Sheet: re-authenticate
    with the current one; a wrong one counts as a failed login attempt). Every other session
    ends; this one goes on. Returns how many sessions ended."""
    login = await signed_in_login(context)
    if not verify_password(login.password_hash, current_password):
        raise DomainError(
            ErrorCode.INVALID_CREDENTIALS,
            "The current password is not right",
            field=["currentPassword"],
        )
    # The password was right: whatever else is wrong is no failed credential check.
    attempt.succeeded = True
    errors = check_password(new_password, username=login.username, field="newPassword")
    if not errors and new_password == current_password:
        errors.append(
            DomainError(
                ErrorCode.INVALID,
                "The new password must differ from the current one",
                field=["newPassword"],
            )
        )
    raise_if_any(errors)
    login.password_hash = hash_password(new_password)
    if isinstance(login, Contact):
        login.updated_at = context.now
    return await revoke_sessions(context, login, keep_session_id=context.viewer.session_id)


async def api_keys(context: Context) -> Sequence[ApiKey]:
    """Every integrator's key, oldest first (secrets are never stored, only their hashes)."""
    return await context.db.scalars(select(ApiKey).order_by(col(ApiKey.id)))


async def create_api_key(
    context: Context, name: str, scopes: list[ApiKeyScope]
) -> tuple[str, ApiKey]:
    """The key is returned once; only its hash is kept."""
    errors = check_required("name", name)
    if not scopes:
        errors.append(DomainError(ErrorCode.REQUIRED, "Give at least one scope", field=["scopes"]))
    raise_if_any(errors)
    return await issue_api_key(
        context.session, context.settings.secret_key, name, scopes, context.now
    )


async def issue_api_key(
    session: AsyncSession, secret_key: str, name: str, scopes: list[ApiKeyScope], now: datetime
) -> tuple[str, ApiKey]:
    """Shared by the `createApiKey` mutation and the `tradepost create-api-key` command."""
    secret = new_token(API_KEY_PREFIX)
    key = ApiKey(
        name=name.strip(),
        scopes=sorted({s.value for s in scopes}),
        secret_hash=token_hash(secret_key, secret),
        prefix=secret[:12],
        created_at=now,
    )
    session.add(key)
    await session.flush()
    return secret, key


async def revoke_api_key(context: Context, key_id: int | None) -> ApiKey:
    key = await context.session.get(ApiKey, key_id) if key_id else None
    if key is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such API key", field=["id"])
    if key.revoked_at is None:
        key.revoked_at = context.now
    return key


async def create_worker(
    session: AsyncSession,
    *,
    username: str,
    password: str,
    role: WorkerRole,
    name: str | None = None,
    rep_code: str | None = None,
) -> Worker:
    """Staff logins come from the CLI (`tradepost create-worker`) and the seed."""
    errors = check_username(username) + check_password(password, username=username)
    if role is WorkerRole.SALES_REP and not rep_code:
        errors.append(
            DomainError(ErrorCode.REQUIRED, "A sales rep needs a rep code", field=["repCode"])
        )
    raise_if_any(errors)
    username = normalise_username(username)
    if (
        await session.scalar(select(col(Worker.id)).where(col(Worker.username) == username))
        is not None
    ):
        raise DomainError(ErrorCode.DUPLICATE, "That username is taken", field=["username"])
    worker = Worker(
        username=username,
        name=name or username,
        password_hash=hash_password(password),
        role=role,
        rep_code=rep_code.strip().upper() if rep_code else None,
    )
    session.add(worker)
    await session.flush()
    return worker
