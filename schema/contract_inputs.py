"""Inputs of the contract mutations and the ERP contract feed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from schema.sync_types import SyncInput

UNSET = strawberry.UNSET


@strawberry.input
class CreateContractInput:
    code: str
    name: str
    starts_on: date
    expires_on: date = strawberry.field(description="The last day its prices apply.")


@strawberry.input
class UpdateContractInput:
    id: strawberry.ID
    code: str | None = UNSET
    name: str | None = UNSET
    starts_on: date | None = UNSET
    expires_on: date | None = UNSET


@strawberry.input
class AssignContractAccountsInput:
    contract_id: strawberry.ID
    account_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Accounts to assign."
    )
    remove_account_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Accounts to unassign."
    )


@strawberry.input
class ContractItemInput:
    sku: str
    price: Decimal
    is_forced: bool = False


@strawberry.input(description="The contract's products become exactly `products`.")
class SetContractProductsInput:
    contract_id: strawberry.ID
    products: list[ContractItemInput]


@strawberry.input(description="An ERP contract keyed by code, with its products and accounts.")
class ContractRecordInput:
    code: str
    name: str
    starts_on: date
    expires_on: date
    products: list[ContractItemInput]
    account_codes: list[str]


@strawberry.input
class SyncContractsInput(SyncInput):
    records: list[ContractRecordInput]


@strawberry.input
class SetWorkerContractPermissionInput:
    worker_id: strawberry.ID
    can_manage_contracts: bool
