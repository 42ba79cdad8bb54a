"""Read-modify-writes outside carts (`resolvers.row_locks`), each raced through the ASGI app with a
session per request: a settings section merged with the stored one, a membership checked merged
with the stored one, and sets replaced or extended after reading them (a contract's products, an
account's cost centres, a favourites list's items). Every accepted change must survive, and the
end state must be exactly one a serial order of the requests could give."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from domain.enums import MembershipRole, WorkerRole
from models import AccountMembership, ContractProduct, CostCentre, FavouritesItem
from tests.factories import (
    PASSWORD,
    make_account,
    make_contact,
    make_contract,
    make_favourites_list,
    make_product,
    make_worker,
)
from tests.graphql_client import GraphQLClient, gid

ROUNDS = 10


async def admin_token(client: GraphQLClient, session: AsyncSession) -> str:
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    return await client.login("admin", PASSWORD)


def errors_of(results: list[dict[str, Any]]) -> list[Any]:
    return [next(iter(result.values()))["errors"] for result in results]


UPDATE_CUSTOMER_DATA = """
mutation Update($input: UpdateCustomerDataSettingsInput!) {
  updateCustomerDataSettings(input: $input) { errors { field code message } }
}
"""
CUSTOMER_DATA = """
query { settings { customerData {
  allowNewAccounts immediateAccess allowNewContacts defaultPriceLevel webAccountPrefix
  verificationRecencyDays
} } }
"""


async def test_settings_changed_at_once_by_several_admins_all_stay(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an administrator and a customer-data section never saved
    token = await admin_token(client, session)
    changes = {
        "allowNewAccounts": True,
        "immediateAccess": False,
        "allowNewContacts": True,
        "defaultPriceLevel": "B",
        "webAccountPrefix": "WX",
        "verificationRecencyDays": 30,
    }

    # when each field is changed by its own request, all at the same time
    results = await asyncio.gather(
        *(
            client.execute(UPDATE_CUSTOMER_DATA, {"input": {name: value}}, token=token)
            for name, value in changes.items()
        )
    )

    # then every change was accepted and is kept
    assert errors_of(results) == [[]] * len(changes)
    assert (await client.execute(CUSTOMER_DATA))["settings"]["customerData"] == changes


UPDATE_MEMBERSHIP = """
mutation Update($input: UpdateMembershipInput!) {
  updateMembership(input: $input) { errors { field code message } }
}
"""
APPROVER_RULE = {
    "field": ["cartApproverId"],
    "code": "INVALID",
    "message": "An approver (approve assigned or approve all) has no cart approver",
}


async def test_a_membership_checked_against_a_concurrent_change_keeps_its_rule(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given shoppers, each with a colleague who could be their cart approver
    token = await admin_token(client, session)
    account = await make_account(session)
    colleague = await make_contact(session, account=account)
    shoppers = [await make_contact(session, account=account) for _ in range(ROUNDS)]
    memberships = list(
        await session.scalars(
            select(AccountMembership).where(
                col(AccountMembership.contact_id).in_([s.id for s in shoppers])
            )
        )
    )

    # when, for each, one request makes it an approver and another gives it a cart approver
    requests = []
    for membership in memberships:
        member = gid("AccountMembership", membership.id)
        requests += [
            client.execute(
                UPDATE_MEMBERSHIP, {"input": {"id": member, "approveAll": True}}, token=token
            ),
            client.execute(
                UPDATE_MEMBERSHIP,
                {"input": {"id": member, "cartApproverId": gid("Contact", colleague.id)}},
                token=token,
            ),
        ]
    results = errors_of(await asyncio.gather(*requests))

    # then of each pair exactly one is accepted (CM10: an approver has no cart approver), and no
    # membership ends up with both
    pairs = [sorted([results[i], results[i + 1]], key=len) for i in range(0, len(results), 2)]
    assert pairs == [[[], [APPROVER_RULE]]] * ROUNDS
    stored = await session.execute(
        select(col(AccountMembership.approve_all), col(AccountMembership.cart_approver_id)).where(
            col(AccountMembership.id).in_([m.id for m in memberships])
        )
    )
    assert [row for row in stored.all() if row[0] and row[1] is not None] == []


SET_PRODUCTS = """
mutation SetProducts($input: SetContractProductsInput!) {
  setContractProducts(input: $input) { errors { field code message } }
}
"""


async def test_concurrent_replacements_of_a_contracts_products_leave_one_of_them(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a contract and two products for each of ten replacement lists
    token = await admin_token(client, session)
    contract = await make_contract(
        session, starts_on=date(2026, 1, 1), expires_on=date(2030, 12, 31)
    )
    contract_id = gid("Contract", contract.id)
    products = [await make_product(session) for _ in range(2 * ROUNDS)]
    lists = [products[i : i + 2] for i in range(0, len(products), 2)]

    # when ten requests each replace the contract's products with their own list at once
    results = await asyncio.gather(
        *(
            client.execute(
                SET_PRODUCTS,
                {
                    "input": {
                        "contractId": contract_id,
                        "products": [{"sku": p.sku, "price": "1.00"} for p in wanted],
                    }
                },
                token=token,
            )
            for wanted in lists
        )
    )

    # then all were accepted and the contract holds exactly the list of one of them
    assert errors_of(results) == [[]] * ROUNDS
    held = set(
        await session.scalars(
            select(col(ContractProduct.product_id)).where(
                col(ContractProduct.contract_id) == contract.id
            )
        )
    )
    assert held in [{p.id for p in wanted} for wanted in lists]


SET_COST_CENTRES = """
mutation CostCentres($input: SetCostCentresInput!) {
  setCostCentres(input: $input) { errors { field code message } }
}
"""


async def test_concurrent_replacements_of_cost_centres_leave_one_of_them(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an account
    token = await admin_token(client, session)
    account = await make_account(session)
    sets = [
        [(f"S{i}", "Site"), (f"W{i}", "Workshop"), ("HQ", "Head office")] for i in range(ROUNDS)
    ]

    # when ten requests each replace its cost centres with their own set at once
    results = await asyncio.gather(
        *(
            client.execute(
                SET_COST_CENTRES,
                {
                    "input": {
                        "accountId": gid("Account", account.id),
                        "costCentres": [{"code": code, "name": name} for code, name in centres],
                    }
                },
                token=token,
            )
            for centres in sets
        )
    )

    # then all were accepted and the account has exactly the set of one of them
    assert errors_of(results) == [[]] * ROUNDS
    held = set(
        await session.scalars(
            select(col(CostCentre.code)).where(col(CostCentre.account_id) == account.id)
        )
    )
    assert held in [{code for code, _ in centres} for centres in sets]


ADD_FAVOURITES = """
mutation Add($input: FavouritesItemsInput!) {
  addFavourites(input: $input) { errors { field code message } }
}
"""


async def test_the_same_favourites_added_at_once_are_added_once(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a shopper's favourites list and two products
    account = await make_account(session)
    owner = await make_contact(
        session, account=account, username="shopper", role=MembershipRole.SHOPPER
    )
    favourites = await make_favourites_list(session, account=account, owner=owner)
    bolt, nut = await make_product(session), await make_product(session)
    token = await client.login("shopper", PASSWORD)

    # when ten requests add both to the list at once
    request = {
        "input": {"listId": gid("FavouritesList", favourites.id), "skus": [bolt.sku, nut.sku]}
    }
    results = await asyncio.gather(
        *(client.execute(ADD_FAVOURITES, request, token=token) for _ in range(ROUNDS))
    )

    # then each one succeeded ("adding a product already on the list changes nothing") and the
    # list holds each product once
    assert errors_of(results) == [[]] * ROUNDS
    held = list(
        await session.scalars(
            select(col(FavouritesItem.product_id)).where(
                col(FavouritesItem.list_id) == favourites.id
            )
        )
    )
    assert sorted(held) == sorted([bolt.id, nut.id])  # type: ignore[type-var]
