"""Worker permissions (seed 003 "Facility Role permissions"): each role's defaults, kept as a
settings section, and the set an administrator gives one worker."""

from __future__ import annotations

from collections.abc import Collection

from core.context import Context
from domain.access import (
    WORKER_PERMISSIONS_SECTION,
    RolePermissions,
    WorkerPermission,
    worker_permissions,
)
from domain.enums import WorkerRole
from domain.errors import DomainError, ErrorCode
from models import Worker
from resolvers.platform_settings import load_section, save_section

# Setting-section field of each role whose defaults an administrator may change.
_ROLE_FIELDS = {WorkerRole.SALES_REP: "sales_rep", WorkerRole.CUSTOMER_SERVICE: "customer_service"}
ADMIN_HOLDS_ALL = "ADMIN workers always hold every permission"


async def role_permissions(context: Context) -> RolePermissions:
    return await load_section(context, WORKER_PERMISSIONS_SECTION, RolePermissions)


async def update_role_permissions(
    context: Context, role: WorkerRole, permissions: Collection[WorkerPermission]
) -> RolePermissions:
    """The role's default permissions become `permissions`, for every worker of the role that
    has no set of its own (from its next request on)."""
    if role not in _ROLE_FIELDS:
        raise DomainError(ErrorCode.INVALID, ADMIN_HOLDS_ALL, field=["role"])
    chosen = [p for p in WorkerPermission if p in set(permissions)]
    return await save_section(
        context, WORKER_PERMISSIONS_SECTION, RolePermissions, {_ROLE_FIELDS[role]: chosen}
    )


async def permissions_of(context: Context, worker: Worker) -> frozenset[WorkerPermission]:
    own = worker.permissions
    return worker_permissions(
        role=worker.role,
        own=None if own is None else [WorkerPermission(p) for p in own],
        defaults=await role_permissions(context),
    )


async def _changeable_worker(context: Context, worker_id: int | None) -> Worker:
    worker = await context.session.get(Worker, worker_id) if worker_id is not None else None
    if worker is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such worker", field=["workerId"])
    if worker.role is WorkerRole.ADMIN:
        raise DomainError(ErrorCode.INVALID, ADMIN_HOLDS_ALL, field=["workerId"])
    return worker


async def set_worker_permissions(
    context: Context, worker_id: int | None, permissions: Collection[WorkerPermission] | None
) -> Worker:
    """The worker's own permissions become exactly `permissions`; None returns it to its
    role's defaults. Its open sessions get the new set on their next request."""
    worker = await _changeable_worker(context, worker_id)
    worker.permissions = (
        None if permissions is None else [p.value for p in WorkerPermission if p in permissions]
    )
    return worker


async def set_worker_permission(
    context: Context, worker_id: int | None, permission: WorkerPermission, *, granted: bool
) -> Worker:
    """Grant or take away one permission, keeping the rest of what the worker holds now."""
    worker = await _changeable_worker(context, worker_id)
    held = set(await permissions_of(context, worker))
    if granted:
        held.add(permission)
    else:
        held.discard(permission)
    return await set_worker_permissions(context, worker.id, held)
