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
OF_CONTACT = "query($id: ID!) { contact(id: $id) { savedSearches { name grid filters } } }"


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
    assert by_worker["contact"]["savedSearches"] == [
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
