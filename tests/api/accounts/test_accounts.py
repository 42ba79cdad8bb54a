"""accounts / account(code:): who sees what, search, sort and pagination."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import MembershipRole, WorkerRole
from tests.factories import PASSWORD, make_account, make_address, make_contact, make_worker
from tests.graphql_client import GraphQLClient, gid

ACCOUNTS = """
query Accounts($filter: AccountFilter, $sortBy: AccountSortBy, $first: Int, $after: String) {
  accounts(filter: $filter, sortBy: $sortBy, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    nodes { id code companyName }
  }
}
"""

NODE = "query Node($id: ID!) { node(id: $id) { id ... on Account { code } } }"


async def test_a_contact_sees_only_its_own_accounts(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given two accounts, and a contact of the first
    mine = await make_account(session, code="MINE1")
    other = await make_account(session, code="OTHER1")
    await make_contact(session, account=mine, username="buyer")
    token = await client.login("buyer", PASSWORD)

    # when it lists accounts, asks for the other by code, and by global ID
    data = await client.execute(ACCOUNTS, token=token)
    by_code = await client.execute('query { account(code: "OTHER1") { code } }', token=token)
    by_id = await client.execute(NODE, {"id": gid("Account", other.id)}, token=token)

    # then only its own account exists for it
    assert [n["code"] for n in data["accounts"]["nodes"]] == ["MINE1"]
    assert data["accounts"]["totalCount"] == 1
    assert by_code == {"account": None}
    assert by_id == {"node": None}


async def test_a_sales_rep_sees_the_accounts_with_its_rep_code(
    client: GraphQLClient, session: AsyncSession
) -> None:
    await make_account(session, code="R1", sales_rep_code="REP01")
    await make_account(session, code="R2", sales_rep_code="REP02")
    await make_worker(session, username="rep1", role=WorkerRole.SALES_REP, rep_code="REP01")
    token = await client.login("rep1", PASSWORD)

    data = await client.execute(ACCOUNTS, token=token)

    assert [n["code"] for n in data["accounts"]["nodes"]] == ["R1"]


async def test_staff_see_every_account_and_search_by_field(
    client: GraphQLClient, session: AsyncSession
) -> None:
    harbour = await make_account(session, code="H1", company_name="Harbour Hardware")
    await make_account(
        session, code="S1", company_name="Summit Supplies", email="ap@harbour.example"
    )
    await make_address(session, account=harbour, postcode="6000")
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    token = await client.login("service", PASSWORD)

    everything = await client.execute(ACCOUNTS, token=token)
    by_name = await client.execute(
        ACCOUNTS, {"filter": {"search": "harbour", "searchField": "COMPANY_NAME"}}, token=token
    )
    by_any = await client.execute(ACCOUNTS, {"filter": {"search": "harbour"}}, token=token)
    by_postcode = await client.execute(
        ACCOUNTS, {"filter": {"search": "6000", "searchField": "POSTCODE"}}, token=token
    )

    assert everything["accounts"]["totalCount"] == 2
    assert [n["code"] for n in by_name["accounts"]["nodes"]] == ["H1"]
    assert [n["code"] for n in by_any["accounts"]["nodes"]] == ["H1", "S1"]
    assert [n["code"] for n in by_postcode["accounts"]["nodes"]] == ["H1"]


async def test_pages_follow_the_sort_order(client: GraphQLClient, session: AsyncSession) -> None:
    for code, name in (("A1", "Charlie"), ("A2", "Alpha"), ("A3", "Bravo")):
        await make_account(session, code=code, company_name=name)
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    token = await client.login("admin", PASSWORD)
    sort = {"field": "COMPANY_NAME", "direction": "DESC"}

    first = await client.execute(ACCOUNTS, {"sortBy": sort, "first": 2}, token=token)
    cursor = first["accounts"]["pageInfo"]["endCursor"]
    second = await client.execute(
        ACCOUNTS, {"sortBy": sort, "first": 2, "after": cursor}, token=token
    )

    assert [n["companyName"] for n in first["accounts"]["nodes"]] == ["Charlie", "Bravo"]
    assert first["accounts"]["pageInfo"]["hasNextPage"] is True
    assert [n["companyName"] for n in second["accounts"]["nodes"]] == ["Alpha"]
    assert second["accounts"]["pageInfo"] | {"endCursor": None} == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "endCursor": None,
    }


async def test_more_than_100_a_page_is_an_error_not_a_silent_cut(
    client: GraphQLClient, session: AsyncSession
) -> None:
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    token = await client.login("admin", PASSWORD)

    errors = await client.errors(ACCOUNTS, {"first": 101}, token=token)

    assert [e["message"] for e in errors] == ["`first` must be between 0 and 100, got 101"]


async def test_anonymous_callers_are_told_to_sign_in(client: GraphQLClient) -> None:
    errors = await client.errors(ACCOUNTS)

    assert [(e["message"], e["extensions"]["code"]) for e in errors] == [
        ("Sign in to do this", "UNAUTHENTICATED")
    ]


async def test_a_bad_token_is_rejected_before_anything_runs(client: GraphQLClient) -> None:
    response = await client.raw(ACCOUNTS, token="tps_not-a-session")

    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}


async def test_membership_role_is_visible_on_the_account(
    client: GraphQLClient, session: AsyncSession
) -> None:
    account = await make_account(session, code="M1")
    await make_contact(session, account=account, username="boss", role=MembershipRole.ADMINISTRATOR)
    token = await client.login("boss", PASSWORD)

    data = await client.execute(
        'query { account(code: "m1") { memberships { nodes { role contact { username } } } } }',
        token=token,
    )

    assert data == {
        "account": {
            "memberships": {"nodes": [{"role": "ADMINISTRATOR", "contact": {"username": "boss"}}]}
        }
    }
