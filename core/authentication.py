"""Authentication: turn an `Authorization: Bearer` header into a `Viewer`, in one query.

A session is only as good as what it stands for: a disabled contact, a disabled worker, an
inactive membership or a disabled account stop working at once, whatever the token says.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, select, update
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from core.database import read
from core.tokens import API_KEY_PREFIX, SESSION_PREFIX, token_hash
from domain.access import (
    ANONYMOUS,
    WORKER_PERMISSIONS_SECTION,
    RolePermissions,
    Viewer,
    ViewerKind,
    WorkerPermission,
    worker_permissions,
)
from domain.enums import ApiKeyScope
from models import Account, AccountMembership, ApiKey, Contact, PlatformSetting, Session, Worker

API_KEY_TOUCH_INTERVAL = timedelta(minutes=1)
SERIALIZATION_FAILURE = "40001"


# Every request reads one of these: built once, their values bound per request, since building
# a statement and its cache key costs more than the read (≈0.3 ms each).
_API_KEY = select(ApiKey).where(
    col(ApiKey.secret_hash) == bindparam("hashed"), col(ApiKey.revoked_at).is_(None)
)
_SESSION = (
    select(Session, Worker, col(PlatformSetting.value))
    .outerjoin(Worker, col(Worker.id) == col(Session.worker_id))
    .outerjoin(
        PlatformSetting,
        and_(
            col(Worker.id).is_not(None),
            col(PlatformSetting.section) == WORKER_PERMISSIONS_SECTION,
        ),
    )
    .where(
        col(Session.token_hash) == bindparam("hashed"),
        col(Session.revoked_at).is_(None),
        col(Session.expires_at) > bindparam("now"),
    )
)
_USABLE_MEMBERSHIPS = (
    select(AccountMembership)
    .join(Contact, col(Contact.id) == col(AccountMembership.contact_id))
    .join(Account, col(Account.id) == col(AccountMembership.account_id))
    .where(
        col(AccountMembership.contact_id) == bindparam("contact_id"),
        col(AccountMembership.is_active),
        col(Contact.is_enabled),
        col(Account.is_active),
    )
    .order_by(col(AccountMembership.is_default).desc(), col(AccountMembership.id))
)


class AuthenticationFailed(Exception):
    """The request carried a token that is unknown, expired or revoked."""


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed("Authorization header must be 'Bearer <token>'")
    return token.strip()


async def authenticate(
    session: AsyncSession, *, secret_key: str, token: str | None, now: datetime
) -> Viewer:
    if token is None:
        return ANONYMOUS
    hashed = token_hash(secret_key, token)
    if token.startswith(API_KEY_PREFIX):
        return await _authenticate_api_key(session, hashed, now)
    if token.startswith(SESSION_PREFIX):
        return await _authenticate_session(session, hashed, now)
    raise AuthenticationFailed("Unknown token")


async def _authenticate_api_key(session: AsyncSession, hashed: str, now: datetime) -> Viewer:
    key = (await read(session, _API_KEY, {"hashed": hashed})).scalar_one_or_none()
    if key is None:
        raise AuthenticationFailed("Unknown or revoked API key")
    # Read before the touch: a touch that loses to a writer rolls back, which expires `key`.
    viewer = Viewer(
        kind=ViewerKind.API_KEY,
        api_key_id=key.id,
        api_scopes=frozenset(ApiKeyScope(s) for s in key.scopes),
    )
    if key.last_used_at is None or now - key.last_used_at > API_KEY_TOUCH_INTERVAL:
        await _touch(session, key.id, now)
    return viewer


async def _touch(session: AsyncSession, key_id: int | None, now: datetime) -> None:
    """Record when a key was last used, at most once a minute; a busy database may skip it
    (it is a hint for administrators, not worth failing a request for)."""
    try:
        await session.execute(
            update(ApiKey).where(col(ApiKey.id) == key_id).values(last_used_at=now)
        )
        await session.commit()
    except DBAPIError as error:
        # SQLite's lock held too long, or PostgreSQL's snapshot (`core.database.begin_reading`)
        # older than another request's touch of the same key.
        serialization_failure = getattr(error.orig, "sqlstate", None) == SERIALIZATION_FAILURE
        if not (isinstance(error, OperationalError) or serialization_failure):
            raise
        await session.rollback()


async def _authenticate_session(session: AsyncSession, hashed: str, now: datetime) -> Viewer:
    row = (await read(session, _SESSION, {"hashed": hashed, "now": now})).one_or_none()
    if row is None:
        raise AuthenticationFailed("Unknown, expired or revoked session")
    login, worker, role_permissions = row
    defaults = RolePermissions.model_validate(role_permissions or {})
    return await viewer_for_session(session, login, worker, role_permissions=defaults)


async def role_permission_defaults(session: AsyncSession) -> RolePermissions:
    stored = (
        await read(
            session,
            select(col(PlatformSetting.value)).where(
                col(PlatformSetting.section) == WORKER_PERMISSIONS_SECTION
            ),
        )
    ).scalar()
    return RolePermissions.model_validate(stored or {})


async def viewer_for_session(
    session: AsyncSession,
    login: Session,
    worker: Worker | None,
    *,
    role_permissions: RolePermissions | None = None,
) -> Viewer:
    """The principal a session stands for, or AuthenticationFailed if it no longer may act.
    `role_permissions` when the caller has read them already (authentication, in its query)."""
    if login.worker_id is not None:
        if worker is None or not worker.is_active:
            raise AuthenticationFailed("Worker is disabled")
        if role_permissions is None:
            role_permissions = await role_permission_defaults(session)
        own = worker.permissions
        return Viewer(
            kind=ViewerKind.WORKER,
            session_id=login.id,
            worker_id=worker.id,
            worker_role=worker.role,
            rep_code=worker.rep_code,
            active_account_id=login.active_account_id,
            permissions=worker_permissions(
                role=worker.role,
                own=None if own is None else [WorkerPermission(p) for p in own],
                defaults=role_permissions,
            ),
        )
    memberships = await usable_memberships(session, contact_id=login.contact_id)
    if not memberships:
        raise AuthenticationFailed("Contact is disabled or has no active account")
    roles = {m.account_id: m.role for m in memberships}
    active = login.active_account_id if login.active_account_id in roles else None
    return Viewer(
        kind=ViewerKind.CONTACT,
        session_id=login.id,
        contact_id=login.contact_id,
        active_account_id=active,
        memberships=roles,
    )


async def usable_memberships(
    session: AsyncSession, *, contact_id: int | None
) -> list[AccountMembership]:
    """The contact's memberships it may use: contact enabled, membership active, account active
    (CIMcloud: "When disabled, no Contacts attached to the account will be able to login")."""
    result = await read(session, _USABLE_MEMBERSHIPS, {"contact_id": contact_id})
    return list(result.scalars())
