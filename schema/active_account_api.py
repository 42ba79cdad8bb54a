"""`switchAccount`: contacts and sales reps choosing the account they act for, in one round
trip (the payload carries the new account and viewer). `Viewer.switchableAccounts` lists the
choices."""

from __future__ import annotations

import strawberry

from resolvers import active_account
from schema.auth_api import viewer_of
from schema.customer_types import Account, Viewer
from schema.info import Info
from schema.input_values import key_of
from schema.payloads import Payload, mutation
from schema.permissions import require_people


@strawberry.input
class SwitchAccountInput:
    account_id: strawberry.ID


@strawberry.type
class SwitchAccountPayload(Payload):
    account: Account | None = strawberry.field(default=None, description="The new active account.")
    viewer: Viewer | None = None


@strawberry.type
class ActiveAccountMutation:
    @mutation(
        SwitchAccountPayload,
        gate=require_people,
        description="Act for another account: a contact among its memberships, a sales rep among "
        "the accounts with its rep code. Prices, carts and enquiry follow.",
    )
    async def switch_account(self, info: Info, input: SwitchAccountInput) -> dict[str, object]:
        row = await active_account.switch_account(
            info.context, key_of(input.account_id, "Account", field="accountId")
        )
        return {"account": Account.from_row(row), "viewer": viewer_of(info)}
