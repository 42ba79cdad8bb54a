"""Favourites lists (seed 002): private or shared, items by SKU, and a membership's restricted
list that its contact may only read."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from domain.enums import MembershipRole, WorkerRole
from models import AccountMembership
from tests.conftest import StatementCounter
from tests.factories import (
    PASSWORD,
    make_account,
    make_contact,
    make_favourites_list,
    make_product,
    make_worker,
)
from tests.graphql_client import GraphQLClient, gid

CREATE = """
mutation Create($input: CreateFavouritesListInput!) {
  createFavouritesList(input: $input) {
    favouritesList { id name isShared }
    errors { field code message }
  }
}
"""
ADD = """
mutation Add($input: FavouritesItemsInput!) {
  addFavourites(input: $input) {
    favouritesList { name items { nodes { sku productName } } }
    errors { field code message }
  }
}
"""
REMOVE = """
mutation Remove($input: FavouritesItemsInput!) {
  removeFavourites(input: $input) {
    favouritesList { items { nodes { sku } } }
    errors { field code message }
  }
}
"""
UPDATE = """
mutation Update($input: UpdateFavouritesListInput!) {
  updateFavouritesList(input: $input) {
    favouritesList { name isShared }
    errors { field code message }
  }
}
"""
LISTS = 'query { account(code: "F1") { favouritesLists { nodes { name isShared } } } }'


async def test_a_contact_keeps_a_list_and_adds_and_removes_products_by_sku(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given
    account = await make_account(session, code="F1")
    await make_contact(session, account=account, username="mary")
    await make_product(session, sku="BOLT-10", name="Bolt 10mm")
    await make_product(session, sku="NUT-10", name="Nut 10mm")
    token = await client.login("mary", PASSWORD)

    # when
    created = await client.execute(CREATE, {"input": {"name": " Weekly "}}, token=token)
    list_id = created["createFavouritesList"]["favouritesList"]["id"]
    added = await client.execute(
        ADD, {"input": {"listId": list_id, "skus": ["bolt-10", "NUT-10", "BOLT-10"]}}, token=token
    )
    removed = await client.execute(
        REMOVE, {"input": {"listId": list_id, "skus": ["NUT-10"]}}, token=token
    )

    # then
    assert created["createFavouritesList"]["favouritesList"] | {"id": None} == {
        "id": None,
        "name": "Weekly",
        "isShared": False,
    }
    assert added["addFavourites"] == {
        "favouritesList": {
            "name": "Weekly",
            "items": {
                "nodes": [
                    {"sku": "BOLT-10", "productName": "Bolt 10mm"},
                    {"sku": "NUT-10", "productName": "Nut 10mm"},
                ]
            },
        },
        "errors": [],
    }
    assert removed["removeFavourites"] == {
        "favouritesList": {"items": {"nodes": [{"sku": "BOLT-10"}]}},
        "errors": [],
    }


async def test_unknown_skus_are_named_and_nothing_is_added(
    client: GraphQLClient, session: AsyncSession
) -> None:
    account = await make_account(session, code="F1")
    mary = await make_contact(session, account=account, username="mary")
    bolt = await make_product(session, sku="BOLT-10")
    favourites = await make_favourites_list(session, account=account, owner=mary)
    token = await client.login("mary", PASSWORD)

    data = await client.execute(
        ADD,
        {"input": {"listId": gid("FavouritesList", favourites.id), "skus": ["BOLT-10", "NOPE"]}},
        token=token,
    )
    after = await client.execute(
        "query($id: ID!) { favouritesList(id: $id) { items { nodes { sku } } } }",
        {"id": gid("FavouritesList", favourites.id)},
        token=token,
    )

    assert bolt.sku == "BOLT-10"
    assert data["addFavourites"] == {
        "favouritesList": None,
        "errors": [
            {"field": ["skus", "1"], "code": "NOT_FOUND", "message": "No product with SKU NOPE"}
        ],
    }
    assert after == {"favouritesList": {"items": {"nodes": []}}}


async def test_private_lists_are_the_owners_and_shared_ones_the_accounts(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Mary's private and shared lists, and Bill at the same account
    account = await make_account(session, code="F1")
    mary = await make_contact(session, account=account, username="mary")
    await make_contact(session, account=account, username="bill")
    await make_favourites_list(session, account=account, owner=mary, name="Mine")
    shared = await make_favourites_list(
        session, account=account, owner=mary, name="Team", is_shared=True
    )
    mary_token = await client.login("mary", PASSWORD)
    bill_token = await client.login("bill", PASSWORD)

    # when
    by_mary = await client.execute(LISTS, token=mary_token)
    by_bill = await client.execute(LISTS, token=bill_token)
    bill_renames = await client.execute(
        UPDATE,
        {"input": {"id": gid("FavouritesList", shared.id), "name": "Ours"}},
        token=bill_token,
    )

    # then
    assert by_mary["account"]["favouritesLists"]["nodes"] == [
        {"name": "Mine", "isShared": False},
        {"name": "Team", "isShared": True},
    ]
    assert by_bill["account"]["favouritesLists"]["nodes"] == [{"name": "Team", "isShared": True}]
    assert bill_renames["updateFavouritesList"] == {
        "favouritesList": None,
        "errors": [
            {
                "field": ["id"],
                "code": "NOT_PERMITTED",
                "message": "This favourites list is read-only for you",
            }
        ],
    }


async def test_a_memberships_restricted_list_is_read_only_for_its_contact(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a list Mary owns that her membership is restricted to
    account = await make_account(session, code="F1")
    boss = await make_contact(session, account=account, username="boss")
    bolt = await make_product(session, sku="BOLT-10")
    favourites = await make_favourites_list(
        session, account=account, owner=boss, name="Approved", products=[bolt]
    )
    await make_contact(
        session,
        account=account,
        username="mary",
        membership={"restricted_favourites_list_id": favourites.id},
    )
    token = await client.login("mary", PASSWORD)

    # when
    listed = await client.execute(LISTS, token=token)
    adds = await client.execute(
        ADD,
        {"input": {"listId": gid("FavouritesList", favourites.id), "skus": ["BOLT-10"]}},
        token=token,
    )

    # then she sees it (although private) but may not change it
    assert listed["account"]["favouritesLists"]["nodes"] == [
        {"name": "Approved", "isShared": False}
    ]
    assert adds["addFavourites"]["errors"] == [
        {
            "field": ["listId"],
            "code": "NOT_PERMITTED",
            "message": "This favourites list is read-only for you",
        }
    ]


async def test_an_administrator_restricts_a_membership_to_a_list_of_the_same_account(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an administrator, a shopper, a list of theirs and one of another account
    account = await make_account(session, code="F1")
    other = await make_account(session, code="F2")
    boss = await make_contact(
        session, account=account, username="boss", role=MembershipRole.ADMINISTRATOR
    )
    stranger = await make_contact(session, account=other)
    ours = await make_favourites_list(session, account=account, owner=boss, name="Approved")
    theirs = await make_favourites_list(session, account=other, owner=stranger, name="Theirs")
    await make_contact(session, account=account, username="mary")
    membership = (
        await session.scalars(
            select(AccountMembership).order_by(col(AccountMembership.id).desc()).limit(1)
        )
    ).one()
    token = await client.login("boss", PASSWORD)
    restrict = """
    mutation($input: UpdateMembershipInput!) {
      updateMembership(input: $input) {
        membership { restrictedFavouritesList { name } }
        errors { field code message }
      }
    }
    """

    # when
    refused = await client.execute(
        restrict,
        {
            "input": {
                "id": gid("AccountMembership", membership.id),
                "restrictedFavouritesListId": gid("FavouritesList", theirs.id),
            }
        },
        token=token,
    )
    done = await client.execute(
        restrict,
        {
            "input": {
                "id": gid("AccountMembership", membership.id),
                "restrictedFavouritesListId": gid("FavouritesList", ours.id),
            }
        },
        token=token,
    )

    # then
    assert refused["updateMembership"] == {
        "membership": None,
        "errors": [
            {
                "field": ["restrictedFavouritesListId"],
                "code": "INVALID",
                "message": "The restricted favourites list must be a list of the same account",
            }
        ],
    }
    assert done["updateMembership"] == {
        "membership": {"restrictedFavouritesList": {"name": "Approved"}},
        "errors": [],
    }


async def test_wallets_of_a_page_of_accounts_cost_the_same_sql_for_any_page_size(
    client: GraphQLClient, session: AsyncSession, sql_counter: StatementCounter
) -> None:
    # given accounts, each with a contact's list of two products
    bolt = await make_product(session, sku="BOLT-10")
    nut = await make_product(session, sku="NUT-10")
    for n in range(6):
        account = await make_account(session, code=f"W{n}")
        owner = await make_contact(session, account=account)
        await make_favourites_list(session, account=account, owner=owner, products=[bolt, nut])
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    token = await client.login("service", PASSWORD)
    query = """
    query($first: Int) {
      accounts(first: $first) {
        nodes {
          favouritesLists { nodes { name items { totalCount nodes { sku } } } }
          shippingAccounts { nodes { name } }
          creditCards { nodes { last4 } }
        }
      }
    }
    """

    # when
    counts = []
    for size in (2, 6):
        sql_counter.reset()
        data = await client.execute(query, {"first": size}, token=token)
        lists = [n["favouritesLists"]["nodes"][0]["items"] for n in data["accounts"]["nodes"]]
        assert [(len(i["nodes"]), i["totalCount"]) for i in lists] == [(2, 2)] * size
        counts.append(sql_counter.count)

    # then
    assert counts[0] == counts[1]


async def test_a_list_looked_up_by_another_types_id_is_null_not_an_error(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # found by the fuzzer: the lookup raised a mutation's refusal and the server masked a crash
    account = await make_account(session)
    await make_contact(session, account=account, username="mary")
    token = await client.login("mary", PASSWORD)
    query = "query($id: ID!) { favouritesList(id: $id) { name } }"

    other_type = await client.raw(query, {"id": gid("Account", account.id)}, token=token)
    malformed = await client.raw(query, {"id": ""}, token=token)

    assert other_type.json()["data"] == {"favouritesList": None}
    assert [e["message"] for e in malformed.json()["errors"]] == ["'' is not a valid ID"]


async def test_a_worker_creates_a_list_for_a_contact_of_an_account_it_looks_after(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given rep1 (REP01), Mary at its account, Tom at another rep's, Frank at another account
    mine = await make_account(session, code="F1", sales_rep_code="REP01")
    theirs = await make_account(session, code="F2", sales_rep_code="REP02")
    also_mine = await make_account(session, code="F3", sales_rep_code="REP01")
    mary = await make_contact(session, account=mine, username="mary")
    tom = await make_contact(session, account=theirs, username="tom")
    await make_worker(session, username="rep1", role=WorkerRole.SALES_REP, rep_code="REP01")
    rep = await client.login("rep1", PASSWORD)

    def list_for(contact_id: int | None, account_id: int | None) -> dict[str, object]:
        values: dict[str, object] = {"name": "Weekly order", "isShared": True}
        if contact_id is not None:
            values["contactId"] = gid("Contact", contact_id)
        if account_id is not None:
            values["accountId"] = gid("Account", account_id)
        return {"input": values}

    # when the rep makes Mary a list, and tries Tom, Mary at another account, and no contact
    made = await client.execute(CREATE, list_for(mary.id, mine.id), token=rep)
    for_tom = await client.execute(CREATE, list_for(tom.id, theirs.id), token=rep)
    wrong_account = await client.execute(CREATE, list_for(mary.id, also_mine.id), token=rep)
    no_contact = await client.execute(CREATE, list_for(None, None), token=rep)
    by_mary = await client.execute(
        "query { viewer { activeAccount { favouritesLists { nodes { name isShared } } } } }",
        token=await client.login("mary", PASSWORD),
    )

    # then Mary owns the new list at her account; the rest is refused and made nothing
    assert made["createFavouritesList"]["errors"] == []
    assert by_mary["viewer"]["activeAccount"]["favouritesLists"]["nodes"] == [
        {"name": "Weekly order", "isShared": True}
    ]
    assert for_tom["createFavouritesList"] == {
        "favouritesList": None,
        "errors": [{"field": ["accountId"], "code": "NOT_FOUND", "message": "No such account"}],
    }
    assert wrong_account["createFavouritesList"] == {
        "favouritesList": None,
        "errors": [
            {
                "field": ["contactId"],
                "code": "NOT_FOUND",
                "message": "No such contact at this account",
            }
        ],
    }
    assert no_contact["createFavouritesList"] == {
        "favouritesList": None,
        "errors": [
            {
                "field": ["contactId"],
                "code": "REQUIRED",
                "message": "contactId is required for a worker",
            },
            {
                "field": ["accountId"],
                "code": "REQUIRED",
                "message": "accountId is required for a worker",
            },
        ],
    }
