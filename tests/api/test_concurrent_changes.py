"""Read-modify-writes outside carts (`resolvers.row_locks`), each raced through the ASGI app with a
session per request: a settings section merged with the stored one, a membership checked merged
with the stored one, and sets replaced or extended after reading them (a contract's products, an
account's cost centres, a favourites list's items). Every accepted change must survive, and the
end state must be exactly one a serial order of the requests could give."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from domain.enums import ApiKeyScope, MembershipRole, RecordSource, WorkerRole
from models import (
    AccountLocation,
    AccountMembership,
    AccountProductPrice,
    ContractProduct,
    CostCentre,
    FavouritesItem,
    Location,
    ProductRestriction,
)
from tests.factories import (
    PASSWORD,
    make_account,
    make_account_price,
    make_api_key,
    make_contact,
    make_contract,
    make_favourites_list,
    make_location,
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


@dataclass(frozen=True)
class Replacement:
    """A mutation that replaces a set of an account or contract: its GraphQL text, the input of
    the i-th request, and the stored set (as keys) read back."""

    mutation: str
    request: Callable[[int], dict[str, Any]]
    stored: Callable[[], Awaitable[set[Any]]]
    # The set the i-th request asks for, as `stored` spells it.
    asked: Callable[[int], set[Any]]


async def contract_products(session: AsyncSession) -> Replacement:
    contract = await make_contract(
        session, starts_on=date(2026, 1, 1), expires_on=date(2030, 12, 31)
    )
    products = [await make_product(session) for _ in range(2 * ROUNDS)]

    async def stored() -> set[Any]:
        return set(
            await session.scalars(
                select(col(ContractProduct.product_id)).where(
                    col(ContractProduct.contract_id) == contract.id
                )
            )
        )

    return Replacement(
        mutation="""mutation Set($input: SetContractProductsInput!) {
          setContractProducts(input: $input) { errors { field code message } } }""",
        request=lambda i: {
            "contractId": gid("Contract", contract.id),
            "products": [{"sku": p.sku, "price": "1.00"} for p in products[2 * i : 2 * i + 2]],
        },
        stored=stored,
        asked=lambda i: {p.id for p in products[2 * i : 2 * i + 2]},
    )


async def cost_centres(session: AsyncSession) -> Replacement:
    account = await make_account(session)

    async def stored() -> set[Any]:
        return set(
            await session.scalars(
                select(col(CostCentre.code)).where(col(CostCentre.account_id) == account.id)
            )
        )

    return Replacement(
        mutation="""mutation Set($input: SetCostCentresInput!) {
          setCostCentres(input: $input) { errors { field code message } } }""",
        request=lambda i: {
            "accountId": gid("Account", account.id),
            "costCentres": [{"code": code, "name": "Centre"} for code in (f"S{i}", f"W{i}", "HQ")],
        },
        stored=stored,
        asked=lambda i: {f"S{i}", f"W{i}", "HQ"},
    )


async def product_restrictions(session: AsyncSession) -> Replacement:
    account = await make_account(session)
    products = [await make_product(session) for _ in range(2 * ROUNDS)]

    async def stored() -> set[Any]:
        return set(
            await session.scalars(
                select(col(ProductRestriction.product_id)).where(
                    col(ProductRestriction.account_id) == account.id
                )
            )
        )

    return Replacement(
        mutation="""mutation Set($input: SetProductRestrictionsInput!) {
          setProductRestrictions(input: $input) { errors { field code message } } }""",
        request=lambda i: {
            "accountId": gid("Account", account.id),
            "skus": [p.sku for p in products[2 * i : 2 * i + 2]],
        },
        stored=stored,
        asked=lambda i: {p.id for p in products[2 * i : 2 * i + 2]},
    )


async def account_locations(session: AsyncSession) -> Replacement:
    account = await make_account(session)
    codes = [f"L{i}" for i in range(ROUNDS)]
    for code in [*codes, "MAIN"]:
        await make_location(session, code=code)

    async def stored() -> set[Any]:
        rows = await session.execute(
            select(col(Location.code), col(AccountLocation.is_primary))
            .join(AccountLocation, col(AccountLocation.location_id) == col(Location.id))
            .where(col(AccountLocation.account_id) == account.id)
        )
        return {tuple(row) for row in rows.all()}

    return Replacement(
        mutation="""mutation Set($input: SetAccountLocationsInput!) {
          setAccountLocations(input: $input) { errors { field code message } } }""",
        request=lambda i: {
            "accountId": gid("Account", account.id),
            "locationCodes": [codes[i], "MAIN"],
            "primaryLocationCode": codes[i],
        },
        stored=stored,
        asked=lambda i: {(codes[i], True), ("MAIN", False)},
    )


@pytest.mark.parametrize(
    "arrange", [contract_products, cost_centres, product_restrictions, account_locations]
)
async def test_concurrent_replacements_of_a_set_leave_exactly_one_of_them(
    client: GraphQLClient,
    session: AsyncSession,
    arrange: Callable[[AsyncSession], Awaitable[Replacement]],
) -> None:
    # given a set an administrator may replace, and ten different replacements
    token = await admin_token(client, session)
    replacement = await arrange(session)

    # when the ten requests replace it at the same time
    results = await asyncio.gather(
        *(
            client.execute(replacement.mutation, {"input": replacement.request(i)}, token=token)
            for i in range(ROUNDS)
        )
    )

    # then all were accepted, and the set is exactly the one of them that came last
    assert errors_of(results) == [[]] * ROUNDS
    assert await replacement.stored() in [replacement.asked(i) for i in range(ROUNDS)]


SET_PRICE = """
mutation Set($input: SetAccountPriceInput!) { setAccountPrice(input: $input) { errors { code } } }
"""
SYNC_PRICES = """
mutation Sync($input: SyncAccountPricesInput!) {
  syncAccountPrices(input: $input) { results { outcome errors { code } } errors { code } }
}
"""


async def test_a_staff_price_set_while_the_erp_syncs_one_is_not_overwritten(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an ERP price tier of an account
    token = await admin_token(client, session)
    erp = await make_api_key(session, scopes=[ApiKeyScope.SYNC])
    account = await make_account(session)
    product = await make_product(session)
    await make_account_price(session, account=account, product=product, price="5.00")

    # when staff set a WEB price on the tier amid twenty ERP records for it
    web = {"accountId": gid("Account", account.id), "sku": product.sku, "price": "4.00"}

    def erp_record(i: int) -> Awaitable[dict[str, Any]]:
        record = {"accountCode": account.code, "sku": product.sku, "price": f"6.{i:02d}"}
        return client.execute(SYNC_PRICES, {"input": {"records": [record]}}, token=erp)

    results = await asyncio.gather(
        *(erp_record(i) for i in range(ROUNDS)),
        client.execute(SET_PRICE, {"input": web}, token=token),
        *(erp_record(i) for i in range(ROUNDS, 2 * ROUNDS)),
    )

    # then every request succeeded and the WEB price stands (an ERP record never overwrites
    # one): in any order they could run, the ERP records after the WEB set changed nothing
    assert all(not next(iter(r.values()))["errors"] for r in results)
    stored = await session.execute(
        select(col(AccountProductPrice.price), col(AccountProductPrice.source)).where(
            col(AccountProductPrice.account_id) == account.id
        )
    )
    assert [tuple(row) for row in stored.all()] == [(Decimal("4.00"), RecordSource.WEB)]


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
