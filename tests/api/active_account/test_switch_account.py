"""switchAccount and Viewer.switchableAccounts: contacts among their memberships, sales reps
among the accounts with their rep code (seed 003 "Sales Representatives")."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import WorkerRole
from tests.factories import PASSWORD, make_account, make_contact, make_membership, make_worker
from tests.graphql_client import GraphQLClient, gid

SWITCH = """
mutation Switch($input: SwitchAccountInput!) {
  switchAccount(input: $input) {
    account { code }
    viewer { kind activeAccount { code } }
    errors { field code message }
  }
}
"""
SWITCHABLE = """
query Switchable($search: String) {
  viewer { switchableAccounts(filter: {search: $search}) { totalCount nodes { code } } }
}
"""
ACTIVE = "query { viewer { activeAccount { code } } }"


async def test_a_sales_rep_switches_to_an_account_of_its_rep_code_in_one_round_trip(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a rep with two of its accounts and one of another rep
    mine = await make_account(session, code="R1", company_name="Bravo", sales_rep_code="REP01")
    await make_account(session, code="R2", company_name="Alpha", sales_rep_code="REP01")
    await make_account(session, code="R3", sales_rep_code="REP02")
    await make_worker(session, username="rep1", role=WorkerRole.SALES_REP, rep_code="REP01")
    token = await client.login("rep1", PASSWORD)

    # when it lists where it may switch, and switches
    listed = await client.execute(SWITCHABLE, token=token)
    switched = await client.execute(
        SWITCH, {"input": {"accountId": gid("Account", mine.id)}}, token=token
    )
    later = await client.execute(ACTIVE, token=token)

    # then the payload carries the new account, and later requests act for it
    assert listed["viewer"]["switchableAccounts"] == {
        "totalCount": 2,
        "nodes": [{"code": "R2"}, {"code": "R1"}],
    }
    assert switched["switchAccount"] == {
        "account": {"code": "R1"},
        "viewer": {"kind": "WORKER", "activeAccount": {"code": "R1"}},
        "errors": [],
    }
    assert later == {"viewer": {"activeAccount": {"code": "R1"}}}


async def test_a_contact_switches_among_its_memberships_and_searches_them(
    client: GraphQLClient, session: AsyncSession
) -> None:
    first = await make_account(session, code="C1", company_name="Harbour Hardware")
    second = await make_account(session, code="C2", company_name="Summit Supplies")
    contact = await make_contact(session, account=first, username="mary")
    await make_membership(session, contact=contact, account=second)
    token = await client.login("mary", PASSWORD)

    searched = await client.execute(SWITCHABLE, {"search": "summit"}, token=token)
    switched = await client.execute(
        SWITCH, {"input": {"accountId": gid("Account", second.id)}}, token=token
    )

    assert searched["viewer"]["switchableAccounts"]["nodes"] == [{"code": "C2"}]
    assert switched["switchAccount"]["viewer"]["activeAccount"] == {"code": "C2"}
    assert switched["switchAccount"]["errors"] == []


async def test_anything_else_is_refused_and_nothing_changes(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a rep, another rep's account, and staff who may read every account
    mine = await make_account(session, code="R1", sales_rep_code="REP01")
    other = await make_account(session, code="R2", sales_rep_code="REP02")
    disabled = await make_account(session, code="R3", sales_rep_code="REP01", is_active=False)
    await make_worker(session, username="rep1", role=WorkerRole.SALES_REP, rep_code="REP01")
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    rep = await client.login("rep1", PASSWORD)
    service = await client.login("service", PASSWORD)
    await client.execute(SWITCH, {"input": {"accountId": gid("Account", mine.id)}}, token=rep)

    # when
    to_other = await client.execute(
        SWITCH, {"input": {"accountId": gid("Account", other.id)}}, token=rep
    )
    to_disabled = await client.execute(
        SWITCH, {"input": {"accountId": gid("Account", disabled.id)}}, token=rep
    )
    by_staff = await client.execute(
        SWITCH, {"input": {"accountId": gid("Account", mine.id)}}, token=service
    )
    staff_choices = await client.execute(SWITCHABLE, token=service)

    # then
    assert to_other["switchAccount"] == {
        "account": None,
        "viewer": None,
        "errors": [{"field": ["accountId"], "code": "NOT_FOUND", "message": "No such account"}],
    }
    not_permitted = [
        {
            "field": ["accountId"],
            "code": "NOT_PERMITTED",
            "message": "You may not act for this account",
        }
    ]
    assert to_disabled["switchAccount"]["errors"] == not_permitted
    assert by_staff["switchAccount"]["errors"] == not_permitted
    assert staff_choices["viewer"]["switchableAccounts"]["totalCount"] == 0
    assert await client.execute(ACTIVE, token=rep) == {"viewer": {"activeAccount": {"code": "R1"}}}


async def test_an_account_the_caller_may_not_read_answers_like_a_missing_one(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a contact of C1, another company C2, a rep of REP01 and another rep's account R2
    first = await make_account(session, code="C1")
    other_company = await make_account(session, code="C2")
    other_rep = await make_account(session, code="R2", sales_rep_code="REP02")
    await make_contact(session, account=first, username="mary")
    await make_worker(session, username="rep1", role=WorkerRole.SALES_REP, rep_code="REP01")
    mary = await client.login("mary", PASSWORD)
    rep = await client.login("rep1", PASSWORD)

    # when each switches to an account it may not read, and to one that does not exist
    answers = [
        await client.execute(SWITCH, {"input": {"accountId": gid("Account", key)}}, token=token)
        for token, key in [(mary, other_company.id), (mary, 999), (rep, other_rep.id), (rep, 999)]
    ]

    # then every answer is the same NOT_FOUND (API.md), and neither moved
    assert {str(answer) for answer in answers} == {
        str(
            {
                "switchAccount": {
                    "account": None,
                    "viewer": None,
                    "errors": [
                        {"field": ["accountId"], "code": "NOT_FOUND", "message": "No such account"}
                    ],
                }
            }
        )
    }
    assert await client.execute(ACTIVE, token=mary) == {"viewer": {"activeAccount": {"code": "C1"}}}
    assert await client.execute(ACTIVE, token=rep) == {"viewer": {"activeAccount": None}}
