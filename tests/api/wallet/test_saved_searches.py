"""Saved searches (seed 002): a grid and its filter values, checked against the grid's filter
input; workers see contacts' searches."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import WorkerRole
from tests.factories import PASSWORD, make_account, make_contact, make_worker
from tests.graphql_client import GraphQLClient, gid

SAVE = """
mutation Save($input: CreateSavedSearchInput!) {
  createSavedSearch(input: $input) {
    savedSearch { grid name filters }
    errors { field code message }
  }
}
"""
OF_CONTACT = (
    "query($id: ID!) { contact(id: $id) { savedSearches { nodes { name grid filters } } } }"
)


async def test_a_contact_saves_a_search_that_workers_can_see(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given
    account = await make_account(session, code="S1")
    mary = await make_contact(session, account=account, username="mary")
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    token = await client.login("mary", PASSWORD)
    filters = {"search": "harbour", "searchField": "COMPANY_NAME", "isOnHold": True}

    # when
    saved = await client.execute(
        SAVE,
        {"input": {"grid": "ACCOUNTS", "name": "Harbour on hold", "filters": filters}},
        token=token,
    )
    by_worker = await client.execute(
        OF_CONTACT, {"id": gid("Contact", mary.id)}, token=await client.login("service", PASSWORD)
    )

    # then
    expected = {"grid": "ACCOUNTS", "name": "Harbour on hold", "filters": filters}
    assert saved["createSavedSearch"] == {"savedSearch": expected, "errors": []}
    assert by_worker["contact"]["savedSearches"]["nodes"] == [
        {"name": "Harbour on hold", "grid": "ACCOUNTS", "filters": filters}
    ]


async def test_filters_must_fit_the_grids_filter_input(
    client: GraphQLClient, session: AsyncSession
) -> None:
    account = await make_account(session, code="S1")
    await make_contact(session, account=account, username="mary")
    token = await client.login("mary", PASSWORD)

    data = await client.execute(
        SAVE,
        {
            "input": {
                "grid": "CONTACTS",
                "name": "Bad",
                "filters": {"isEnabled": "maybe", "colour": "red"},
            }
        },
        token=token,
    )

    assert data["createSavedSearch"] == {
        "savedSearch": None,
        "errors": [
            {
                "field": ["filters", "isEnabled"],
                "code": "INVALID",
                "message": "Boolean cannot represent a non boolean value: 'maybe'",
            },
            {
                "field": ["filters"],
                "code": "INVALID",
                "message": "Expected value of type 'ContactFilter' not to include unknown field "
                "'colour', found: {'isEnabled': 'maybe', 'colour': 'red'}.",
            },
        ],
    }


async def test_other_contacts_do_not_see_a_contacts_searches(
    client: GraphQLClient, session: AsyncSession
) -> None:
    account = await make_account(session, code="S1")
    mary = await make_contact(session, account=account, username="mary")
    await make_contact(session, account=account, username="bill")
    mary_token = await client.login("mary", PASSWORD)
    await client.execute(
        SAVE, {"input": {"grid": "ACCOUNTS", "name": "Mine", "filters": {}}}, token=mary_token
    )

    data = await client.execute(
        OF_CONTACT, {"id": gid("Contact", mary.id)}, token=await client.login("bill", PASSWORD)
    )

    assert data == {"contact": {"savedSearches": None}}


async def test_a_worker_saves_searches_of_every_grid_for_itself_and_for_a_contact(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given rep1 (REP01), its account's contact Mary, and another rep's contact Tom
    mine = await make_account(session, code="S1", sales_rep_code="REP01")
    theirs = await make_account(session, code="S2", sales_rep_code="REP02")
    mary = await make_contact(session, account=mine, username="mary")
    tom = await make_contact(session, account=theirs, username="tom")
    await make_worker(session, username="rep1", role=WorkerRole.SALES_REP, rep_code="REP01")
    rep = await client.login("rep1", PASSWORD)
    grids = {
        "ACCOUNTS": {"customerGroup": "TRADE", "territory": "SYD"},
        "CONTACTS": {"search": "smith", "isEnabled": True},
        "ORDERS": {"status": ["PLACED"], "search": "PO-1"},
        "CARTS": {"status": ["PENDING_APPROVAL"], "search": "weekly"},
        "PRODUCTS": {"search": "pipe", "availableOnly": True},
    }

    # when the rep saves one search per grid for itself, one for Mary, one for Tom, and a bad one
    own = [
        (
            await client.execute(
                SAVE,
                {"input": {"grid": grid, "name": f"My {grid.lower()}", "filters": filters}},
                token=rep,
            )
        )["createSavedSearch"]
        for grid, filters in grids.items()
    ]
    for_mary = await client.execute(
        SAVE,
        {
            "input": {
                "grid": "PRODUCTS",
                "name": "Pipes",
                "filters": grids["PRODUCTS"],
                "contactId": gid("Contact", mary.id),
            }
        },
        token=rep,
    )
    for_tom = await client.execute(
        SAVE,
        {
            "input": {
                "grid": "PRODUCTS",
                "name": "Pipes",
                "filters": {},
                "contactId": gid("Contact", tom.id),
            }
        },
        token=rep,
    )
    bad_orders = await client.execute(
        SAVE,
        {"input": {"grid": "ORDERS", "name": "Odd", "filters": {"status": ["SHIPPED_TO_MARS"]}}},
        token=rep,
    )
    listed = await client.execute(
        "query { viewer { worker { savedSearches { nodes { grid name filters } } } } }", token=rep
    )
    marys = await client.execute(OF_CONTACT, {"id": gid("Contact", mary.id)}, token=rep)
    saved_grid = await client.execute(
        "query($f: OrderFilter) { viewer { orders(first: 5, filter: $f) { totalCount } } }",
        {"f": grids["ORDERS"]},
        token=rep,
    )

    # then every grid's search is the rep's own; Mary's is hers; Tom is not the rep's to serve
    assert [s["errors"] for s in own] == [[]] * 5
    assert listed["viewer"]["worker"]["savedSearches"]["nodes"] == [
        {"grid": grid, "name": f"My {grid.lower()}", "filters": grids[grid]}
        for grid in sorted(grids, key=str.lower)
    ]
    assert for_mary["createSavedSearch"]["errors"] == []
    assert marys["contact"]["savedSearches"]["nodes"] == [
        {"name": "Pipes", "grid": "PRODUCTS", "filters": grids["PRODUCTS"]}
    ]
    assert for_tom["createSavedSearch"] == {
        "savedSearch": None,
        "errors": [{"field": ["contactId"], "code": "NOT_FOUND", "message": "No such contact"}],
    }
    assert bad_orders["createSavedSearch"]["savedSearch"] is None
    assert [e["field"] for e in bad_orders["createSavedSearch"]["errors"]] == [
        ["filters", "status", "0"]
    ]
    assert saved_grid == {"viewer": {"orders": {"totalCount": 0}}}
