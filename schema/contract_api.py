"""Contracts: the storefront reads them; ADMIN workers and sales reps with the contract
permission edit them; the ERP feeds them."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError

from domain.access import Viewer, WorkerPermission
from domain.contracts import ContractChanges
from resolvers import contracts, workers
from resolvers.contracts import ContractLine, ContractRecord
from schema.contract_inputs import (
    AssignContractAccountsInput,
    ContractItemInput,
    CreateContractInput,
    SetContractProductsInput,
    SetWorkerContractPermissionInput,
    SyncContractsInput,
    UpdateContractInput,
)
from schema.contract_types import Contract
from schema.customer_types import Worker
from schema.info import Info
from schema.input_values import ROW_ID, key_of, set_values
from schema.payloads import Payload, mutation
from schema.permissions import forbidden, require_admin, require_people
from schema.relay import decode_id_of
from schema.sync_types import SyncResultsPayload, run_sync


def require_contract_manager(viewer: Viewer) -> Viewer:
    if not contracts.may_manage_contracts(require_people(viewer)):
        raise forbidden("Only ADMIN workers and sales reps with the contract permission may")
    return viewer


def _account_keys(ids: list[strawberry.ID]) -> list[int | None]:
    """None for an ID that names no account: the resolver reports it at its index."""
    keys: list[int | None] = []
    for global_id in ids:
        try:
            keys.append(decode_id_of(global_id, "Account"))
        except GraphQLError:
            keys.append(None)
    return keys


def _lines(items: list[ContractItemInput]) -> list[ContractLine]:
    return [ContractLine(sku=i.sku, price=i.price, is_forced=i.is_forced) for i in items]


@strawberry.type
class ContractQuery:
    @strawberry.field(description="A contract by code; null if not visible.")
    async def contract(self, info: Info, code: str) -> Contract | None:
        row = await contracts.contract_by_code(info.context, code)
        return Contract.from_optional_row(row)


@strawberry.type
class ContractPayload(Payload):
    contract: Contract | None = None


@strawberry.type
class CreateContractPayload(ContractPayload):
    pass


@strawberry.type
class UpdateContractPayload(ContractPayload):
    pass


@strawberry.type
class AssignContractAccountsPayload(ContractPayload):
    pass


@strawberry.type
class SetContractProductsPayload(ContractPayload):
    pass


@strawberry.type
class SyncContractsPayload(SyncResultsPayload):
    pass


@strawberry.type
class SetWorkerContractPermissionPayload(Payload):
    worker: Worker | None = None


@strawberry.type
class ContractMutation:
    @mutation(CreateContractPayload, gate=require_contract_manager)
    async def create_contract(self, info: Info, input: CreateContractInput) -> dict[str, object]:
        row = await contracts.create_contract(info.context, ContractChanges(**set_values(input)))
        return {"contract": Contract.from_row(row)}

    @mutation(UpdateContractPayload, gate=require_contract_manager)
    async def update_contract(self, info: Info, input: UpdateContractInput) -> dict[str, object]:
        row = await contracts.update_contract(
            info.context,
            key_of(input.id, "Contract", field="id"),
            ContractChanges(**set_values(input, exclude=ROW_ID)),
        )
        return {"contract": Contract.from_row(row)}

    @mutation(
        AssignContractAccountsPayload,
        gate=require_contract_manager,
        description="Assign accounts to a contract, or unassign them.",
    )
    async def assign_contract_accounts(
        self, info: Info, input: AssignContractAccountsInput
    ) -> dict[str, object]:
        row = await contracts.assign_contract_accounts(
            info.context,
            key_of(input.contract_id, "Contract", field="contractId"),
            add=_account_keys(input.account_ids),
            remove=_account_keys(input.remove_account_ids),
        )
        return {"contract": Contract.from_row(row)}

    @mutation(
        SetContractProductsPayload,
        gate=require_contract_manager,
        description="Set a contract's products and prices (the whole list).",
    )
    async def set_contract_products(
        self, info: Info, input: SetContractProductsInput
    ) -> dict[str, object]:
        row = await contracts.set_contract_products(
            info.context,
            key_of(input.contract_id, "Contract", field="contractId"),
            _lines(input.products),
        )
        return {"contract": Contract.from_row(row)}

    @strawberry.mutation(description="ERP contracts, keyed by code.")
    async def sync_contracts(self, info: Info, input: SyncContractsInput) -> SyncContractsPayload:
        records = [
            ContractRecord(
                code=r.code,
                name=r.name,
                starts_on=r.starts_on,
                expires_on=r.expires_on,
                products=_lines(r.products),
                account_codes=r.account_codes,
            )
            for r in input.records
        ]
        return await run_sync(
            info,
            SyncContractsPayload,
            lambda: contracts.sync_contracts(info.context, records, atomic=input.atomic),
        )

    @mutation(
        SetWorkerContractPermissionPayload,
        gate=require_admin,
        description="Give a worker the contract permission, or take it away.",
        deprecation_reason="Use `setWorkerPermissions` (MANAGE_CONTRACTS).",
    )
    async def set_worker_contract_permission(
        self, info: Info, input: SetWorkerContractPermissionInput
    ) -> dict[str, object]:
        row = await workers.set_worker_permission(
            info.context,
            key_of(input.worker_id, "Worker", field="workerId"),
            WorkerPermission.MANAGE_CONTRACTS,
            granted=input.can_manage_contracts,
        )
        return {"worker": Worker.from_row(row)}
