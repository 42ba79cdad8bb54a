"""Worker permissions (seed 003 "Facility Role permissions"): ADMIN workers set each role's
defaults and any one worker's own set; `Worker.permissions` shows what is in force."""

from __future__ import annotations

import strawberry

from domain.access import RolePermissions as RolePermissionsModel
from domain.access import WorkerPermission
from domain.enums import WorkerRole
from resolvers import workers
from schema.customer_types import Worker
from schema.info import Info
from schema.input_values import key_of
from schema.payloads import Payload, mutation
from schema.permissions import require_admin


@strawberry.type(
    description="Settings section 'workerPermissions': the permissions a worker of each role "
    "holds unless it has its own set. ADMIN workers always hold every permission."
)
class WorkerPermissionSettings:
    sales_rep: list[WorkerPermission]
    customer_service: list[WorkerPermission]

    @classmethod
    def from_model(cls, model: RolePermissionsModel) -> WorkerPermissionSettings:
        return cls(
            sales_rep=[p for p in WorkerPermission if p in model.sales_rep],
            customer_service=[p for p in WorkerPermission if p in model.customer_service],
        )


@strawberry.input
class SetWorkerPermissionsInput:
    worker_id: strawberry.ID
    permissions: list[WorkerPermission] | None = strawberry.field(
        default=None,
        description="The worker's whole set; null returns it to its role's defaults.",
    )


@strawberry.input
class UpdateRolePermissionsInput:
    role: WorkerRole = strawberry.field(description="SALES_REP or CUSTOMER_SERVICE.")
    permissions: list[WorkerPermission]


@strawberry.type
class SetWorkerPermissionsPayload(Payload):
    worker: Worker | None = None


@strawberry.type
class UpdateRolePermissionsPayload(Payload):
    worker_permissions: WorkerPermissionSettings | None = None


@strawberry.type
class WorkerMutation:
    @mutation(
        SetWorkerPermissionsPayload,
        gate=require_admin,
        description="Give one worker its own permission set, or reset it.",
    )
    async def set_worker_permissions(
        self, info: Info, input: SetWorkerPermissionsInput
    ) -> dict[str, object]:
        row = await workers.set_worker_permissions(
            info.context,
            key_of(input.worker_id, "Worker", field="workerId"),
            input.permissions,
        )
        return {"worker": Worker.from_row(row)}

    @mutation(
        UpdateRolePermissionsPayload,
        gate=require_admin,
        description="Set the default permissions of a worker role.",
    )
    async def update_role_permissions(
        self, info: Info, input: UpdateRolePermissionsInput
    ) -> dict[str, object]:
        model = await workers.update_role_permissions(info.context, input.role, input.permissions)
        return {"worker_permissions": WorkerPermissionSettings.from_model(model)}
