"""Account.carts: the account's administrators and workers see every cart; shoppers none."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import CartStatus, MembershipRole, WorkerRole
from tests.factories import PASSWORD, make_account, make_cart, make_contact, make_worker
from tests.graphql_client import GraphQLClient

ACCOUNT_CARTS = """
query Carts($status: [CartStatus!]) {
  account(code: "CARTS1") {
    carts(filter: {status: $status}) { totalCount nodes { name contact { name } } }
  }
}
"""


async def test_who_sees_an_accounts_carts(client: GraphQLClient, session: AsyncSession) -> None:
    # given two shoppers' carts, one waiting for approval
    account = await make_account(session, code="CARTS1", sales_rep_code="REP1")
    mary = await make_contact(session, account=account, username="mary", name="Mary")
    bill = await make_contact(session, account=account, name="Bill")
    await make_contact(session, account=account, username="boss", role=MembershipRole.ADMINISTRATOR)
    await make_worker(session, username="rep1", role=WorkerRole.SALES_REP, rep_code="REP1")
    await make_cart(session, account=account, contact=mary, name="Mary's")
    await make_cart(
        session, account=account, contact=bill, name="Bill's", status=CartStatus.PENDING_APPROVAL
    )

    # when the administrator, the account's rep and a shopper list them
    boss = await client.execute(ACCOUNT_CARTS, token=await client.login("boss", PASSWORD))
    rep = await client.execute(
        ACCOUNT_CARTS, {"status": "PENDING_APPROVAL"}, token=await client.login("rep1", PASSWORD)
    )
    shopper = await client.execute(ACCOUNT_CARTS, token=await client.login("mary", PASSWORD))

    # then
    assert boss["account"]["carts"]["totalCount"] == 2
    assert rep["account"]["carts"]["nodes"] == [{"name": "Bill's", "contact": {"name": "Bill"}}]
    assert shopper["account"]["carts"] == {"totalCount": 0, "nodes": []}


async def test_the_carts_grid_filters_by_status_and_search(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an account's carts in three states, one with a PO number
    account = await make_account(session, code="CARTS1")
    mary = await make_contact(session, account=account, username="mary", name="Mary")
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    await make_cart(session, account=account, contact=mary, name="Weekly")
    await make_cart(
        session, account=account, contact=mary, name="Big", status=CartStatus.PENDING_APPROVAL
    )
    await make_cart(
        session,
        account=account,
        contact=mary,
        name="Spare",
        status=CartStatus.CHECKED_OUT,
        po_number="PO-WEEK-9",
    )
    grid = """query($f: CartFilter) {
      account(code: "CARTS1") { carts(filter: $f) { nodes { name } } } }"""
    token = await client.login("service", PASSWORD)

    # when staff filter the grid (the values a CARTS saved search keeps)
    found = [
        sorted(
            n["name"]
            for n in (await client.execute(grid, {"f": f}, token=token))["account"]["carts"][
                "nodes"
            ]
        )
        for f in (
            {"status": ["PENDING_APPROVAL", "CHECKED_OUT"]},
            {"search": "week"},
            {"search": "week", "status": ["OPEN"]},
        )
    ]

    # then each filter finds exactly its carts (the search matches names and PO numbers)
    assert found == [["Big", "Spare"], ["Spare", "Weekly"], ["Weekly"]]
