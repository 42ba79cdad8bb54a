"""Setting spending budgets (issue #16 §2), and the account's list of them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import UNSET

from domain.budgets import BudgetChanges, BudgetPeriod, BudgetScope, OverBudgetAction
from resolvers import budgets
from resolvers.budgets import BudgetValues
from schema.budget_types import Budget
from schema.info import Info
from schema.input_values import ROW_ID, key_of, set_values
from schema.payloads import Payload, mutation
from schema.permissions import require_people
from schema.relay import Connection, PageRequest, paged, paginate_list


@strawberry.input(
    description="A budget of an account: ACCOUNT scope counts every order, MEMBERSHIP one "
    "contact's (`membershipId`), COST_CENTRE one cost centre's (`costCentre`)."
)
class CreateBudgetInput:
    account_id: strawberry.ID
    scope: BudgetScope
    period: BudgetPeriod
    amount: Decimal = strawberry.field(description="The most the period may spend (goods).")
    over_budget_action: OverBudgetAction
    membership_id: strawberry.ID | None = None
    cost_centre: str | None = strawberry.field(
        default=None, description="COST_CENTRE: one of the account's cost centre codes."
    )
    starts_on: date | None = strawberry.field(default=None, description="CUSTOM: the first day.")
    ends_on: date | None = strawberry.field(default=None, description="CUSTOM: the last day.")
    is_active: bool = True


@strawberry.input(
    description="Change a budget's period, amount, action or activity; its scope and target "
    "stay. A calendar period drops the dates unless they are sent."
)
class UpdateBudgetInput:
    id: strawberry.ID
    period: BudgetPeriod | None = UNSET
    starts_on: date | None = UNSET
    ends_on: date | None = UNSET
    amount: Decimal | None = UNSET
    over_budget_action: OverBudgetAction | None = UNSET
    is_active: bool | None = UNSET


@strawberry.input
class DeleteBudgetInput:
    id: strawberry.ID


@strawberry.type
class CreateBudgetPayload(Payload):
    budget: Budget | None = None


@strawberry.type
class UpdateBudgetPayload(Payload):
    budget: Budget | None = None


@strawberry.type
class DeleteBudgetPayload(Payload):
    deleted_budget_id: strawberry.ID | None = None


def _budget_key(global_id: str) -> int | None:
    return key_of(global_id, "Budget", field="id")


@strawberry.type
class BudgetMutation:
    @mutation(
        CreateBudgetPayload,
        gate=require_people,
        description="A spending budget for an account, by staff, the account's sales rep or "
        "its administrators (docs/budgets.md).",
    )
    async def create_budget(self, info: Info, input: CreateBudgetInput) -> dict[str, object]:
        values = BudgetValues(
            scope=input.scope,
            period=input.period,
            amount=input.amount,
            over_budget_action=input.over_budget_action,
            membership_id=key_of(input.membership_id, "AccountMembership", field="membershipId"),
            cost_centre=input.cost_centre,
            starts_on=input.starts_on,
            ends_on=input.ends_on,
            is_active=input.is_active,
        )
        account_id = key_of(input.account_id, "Account", field="accountId")
        row = await budgets.create_budget(info.context, account_id, values)
        return {"budget": Budget.from_row(row)}

    @mutation(
        UpdateBudgetPayload,
        gate=require_people,
        description="Change a budget (as `createBudget`, who may).",
    )
    async def update_budget(self, info: Info, input: UpdateBudgetInput) -> dict[str, object]:
        values = BudgetChanges(**set_values(input, exclude=ROW_ID))
        row = await budgets.update_budget(info.context, _budget_key(input.id), values)
        return {"budget": Budget.from_row(row)}

    @mutation(
        DeleteBudgetPayload,
        gate=require_people,
        description="Remove a budget (as `createBudget`, who may).",
    )
    async def delete_budget(self, info: Info, input: DeleteBudgetInput) -> dict[str, object]:
        await budgets.delete_budget(info.context, _budget_key(input.id))
        return {"deleted_budget_id": strawberry.ID(input.id)}


@paged
async def account_budgets(root: Any, info: Info, page: PageRequest) -> Connection[Budget]:
    """Attached to `Account`: its budgets, for those who manage it (empty for others)."""
    rows = await budgets.account_budgets(info.context, root.row)
    return await paginate_list(rows, page, Budget.from_row)
