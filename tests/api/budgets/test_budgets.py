"""createBudget, updateBudget, deleteBudget and Account.budgets: who may read and set budgets,
what they refuse, and the spend they show (issue #16 §2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.budgets import BudgetScope
from domain.enums import CartStatus, MembershipRole, WorkerRole
from models import Account, AccountMembership, Budget, Contact
from models.types import utcnow
from tests.factories import (
    PASSWORD,
    make_account,
    make_budget,
    make_cart,
    make_contact,
    make_order,
    make_product,
    make_worker,
)
from tests.graphql_client import GraphQLClient, gid

BUDGET_FIELDS = """
  scope costCentre amount overBudgetAction isActive
  membership { contact { name } }
  period { kind startsOn endsOn }
  spent pending remaining
"""
CREATE = f"""
mutation Create($input: CreateBudgetInput!) {{
  createBudget(input: $input) {{ budget {{ id {BUDGET_FIELDS} }} errors {{ field code message }} }}
}}
"""
UPDATE = f"""
mutation Update($input: UpdateBudgetInput!) {{
  updateBudget(input: $input) {{ budget {{ {BUDGET_FIELDS} }} errors {{ field code message }} }}
}}
"""
DELETE = """
mutation Delete($input: DeleteBudgetInput!) {
  deleteBudget(input: $input) { deletedBudgetId errors { field code message } }
}
"""
BUDGETS = f"""
query Budgets($code: String!) {{
  account(code: $code) {{ budgets {{ nodes {{ {BUDGET_FIELDS} }} }} }}
}}
"""
NODE = "query Node($id: ID!) { node(id: $id) { ... on Budget { amount } } }"


@dataclass
class World:
    account: Account
    mary: Contact
    membership: AccountMembership
    tokens: dict[str, str]


async def world(client: GraphQLClient, session: AsyncSession) -> World:
    """Account A1: Alice its administrator, Mary a shopper; account B1 with its own
    administrator Bob; a CUSTOMER_SERVICE worker."""
    account = await make_account(session, code="A1")
    other = await make_account(session, code="B1")
    await make_contact(
        session, account=account, username="alice", role=MembershipRole.ADMINISTRATOR
    )
    mary = await make_contact(session, account=account, username="mary", name="Mary")
    await make_contact(session, account=other, username="bob", role=MembershipRole.ADMINISTRATOR)
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    membership = await session.scalar(
        select(AccountMembership).where(AccountMembership.contact_id == mary.id)  # type: ignore[arg-type]
    )
    assert membership is not None
    await session.commit()  # ends the read, so the API's writes do not wait for it
    tokens = {
        name: await client.login(name, PASSWORD) for name in ("alice", "mary", "bob", "service")
    }
    return World(account=account, mary=mary, membership=membership, tokens=tokens)


def new_budget(account: Account, **values: Any) -> dict[str, Any]:
    return {
        "input": {
            "accountId": gid("Account", account.id),
            "scope": "ACCOUNT",
            "period": "MONTH",
            "amount": "1000.00",
            "overBudgetAction": "BLOCK",
            **values,
        }
    }


async def budget_count(session: AsyncSession) -> int:
    count = await session.scalar(select(func.count()).select_from(Budget))
    return int(count or 0)


async def test_an_administrator_creates_changes_and_deletes_a_budget(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given account A1 and its administrator
    w = await world(client, session)
    today = utcnow().date()

    # when Alice creates a monthly budget of 1,000.00 that blocks
    created = await client.execute(CREATE, new_budget(w.account), token=w.tokens["alice"])

    # then it is there, for this month, nothing spent
    payload = created["createBudget"]
    assert payload["errors"] == []
    budget = payload["budget"]
    budget_id = budget.pop("id")
    month_start = today.replace(day=1)
    next_month = (month_start + timedelta(days=32)).replace(day=1)
    month = {
        "kind": "MONTH",
        "startsOn": month_start.isoformat(),
        "endsOn": (next_month - timedelta(days=1)).isoformat(),
    }
    assert budget == {
        "scope": "ACCOUNT",
        "costCentre": None,
        "amount": "1000.00",
        "overBudgetAction": "BLOCK",
        "isActive": True,
        "membership": None,
        "period": month,
        "spent": "0.00",
        "pending": "0.00",
        "remaining": "1000.00",
    }
    listed = await client.execute(BUDGETS, {"code": "A1"}, token=w.tokens["alice"])
    assert listed["account"]["budgets"]["nodes"] == [budget]

    # when she makes it a CUSTOM period of 500.00 that asks for approval
    changed = await client.execute(
        UPDATE,
        {
            "input": {
                "id": budget_id,
                "amount": "500.00",
                "period": "CUSTOM",
                "startsOn": today.isoformat(),
                "endsOn": (today + timedelta(days=9)).isoformat(),
                "overBudgetAction": "REQUIRE_APPROVAL",
            }
        },
        token=w.tokens["alice"],
    )

    # then it is changed
    assert changed["updateBudget"]["errors"] == []
    assert changed["updateBudget"]["budget"] | {"period": None} == budget | {
        "amount": "500.00",
        "overBudgetAction": "REQUIRE_APPROVAL",
        "remaining": "500.00",
        "period": None,
    }
    assert changed["updateBudget"]["budget"]["period"] == {
        "kind": "CUSTOM",
        "startsOn": today.isoformat(),
        "endsOn": (today + timedelta(days=9)).isoformat(),
    }

    # when she moves it back to a month: the dates go
    back = await client.execute(
        UPDATE, {"input": {"id": budget_id, "period": "MONTH"}}, token=w.tokens["alice"]
    )
    assert back["updateBudget"]["errors"] == []
    assert back["updateBudget"]["budget"]["period"] == month

    # when she deletes it, it is gone
    deleted = await client.execute(DELETE, {"input": {"id": budget_id}}, token=w.tokens["alice"])
    assert deleted["deleteBudget"] == {"deletedBudgetId": budget_id, "errors": []}
    assert await budget_count(session) == 0


async def test_staff_set_a_membership_budget_and_see_its_spend(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Mary's order this month (30.00), one of last month (70.00), another shopper's
    # order this month (5.00), and Mary's cart waiting for approval (12.00)
    w = await world(client, session)
    now = utcnow()
    last_month = now.replace(day=1, hour=0, minute=0, second=0) - timedelta(seconds=1)
    other = await make_contact(session, account=w.account, username="ken")
    await make_order(session, account=w.account, contact=w.mary, subtotal="30.00")
    await make_order(
        session, account=w.account, contact=w.mary, subtotal="70.00", created_at=last_month
    )
    await make_order(session, account=w.account, contact=other, subtotal="5.00")
    product = await make_product(session, level_prices={"A": "12.00"})
    await make_cart(
        session,
        account=w.account,
        contact=w.mary,
        lines=[(product, 1, "12.00")],
        status=CartStatus.PENDING_APPROVAL,
    )

    # when staff create a monthly budget of 100.00 for Mary's membership
    created = await client.execute(
        CREATE,
        new_budget(
            w.account,
            scope="MEMBERSHIP",
            amount="100.00",
            membershipId=gid("AccountMembership", w.membership.id),
        ),
        token=w.tokens["service"],
    )

    # then it counts Mary's order and cart of this month only
    payload = created["createBudget"]
    assert payload["errors"] == []
    assert {k: payload["budget"][k] for k in ("membership", "spent", "pending", "remaining")} == {
        "membership": {"contact": {"name": "Mary"}},
        "spent": "30.00",
        "pending": "12.00",
        "remaining": "58.00",
    }
    # and an account budget beside it counts every shopper's order
    await make_budget(session, account=w.account, amount="200.00")
    listed = await client.execute(BUDGETS, {"code": "A1"}, token=w.tokens["service"])
    assert [
        (b["scope"], b["spent"], b["pending"]) for b in listed["account"]["budgets"]["nodes"]
    ] == [
        ("MEMBERSHIP", "30.00", "12.00"),
        ("ACCOUNT", "35.00", "12.00"),
    ]


async def test_a_cost_centre_budget_names_one_of_the_accounts_cost_centres(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given account A1 with cost centre MAINT, and an order of this month charged to it
    w = await world(client, session)
    await client.execute(
        "mutation($i: SetCostCentresInput!) { setCostCentres(input: $i) { errors { code } } }",
        {
            "i": {
                "accountId": gid("Account", w.account.id),
                "costCentres": [{"code": "MAINT", "name": "Maintenance"}],
            }
        },
        token=w.tokens["service"],
    )
    await make_order(
        session, account=w.account, contact=w.mary, subtotal="40.00", cost_centre="MAINT"
    )
    await make_order(session, account=w.account, contact=w.mary, subtotal="9.00")

    # when a budget is made for an unknown cost centre, then for MAINT
    unknown = await client.execute(
        CREATE,
        new_budget(w.account, scope="COST_CENTRE", costCentre="NOPE"),
        token=w.tokens["alice"],
    )
    known = await client.execute(
        CREATE,
        new_budget(w.account, scope="COST_CENTRE", costCentre="MAINT"),
        token=w.tokens["alice"],
    )

    # then the first is refused; the second counts MAINT's order only
    assert unknown["createBudget"] == {
        "budget": None,
        "errors": [
            {
                "field": ["costCentre"],
                "code": "INVALID",
                "message": "NOPE is not one of the account's cost centres",
            }
        ],
    }
    assert known["createBudget"]["errors"] == []
    assert known["createBudget"]["budget"]["spent"] == "40.00"


async def test_outsiders_find_no_budget_and_shoppers_may_not_set_one(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a budget of account A1
    w = await world(client, session)
    budget = await make_budget(session, account=w.account, amount="100.00")
    budget_id = gid("Budget", budget.id)
    change = {"input": {"id": budget_id, "amount": "1.00"}}

    # when Bob, administrator of another account, tries to read, set, change or delete it
    bob = w.tokens["bob"]
    not_found_account = [
        {"field": ["accountId"], "code": "NOT_FOUND", "message": "No such account"}
    ]
    not_found_budget = [{"field": ["id"], "code": "NOT_FOUND", "message": "No such budget"}]
    assert (await client.execute(CREATE, new_budget(w.account), token=bob))["createBudget"][
        "errors"
    ] == not_found_account
    assert (await client.execute(UPDATE, change, token=bob))["updateBudget"][
        "errors"
    ] == not_found_budget
    assert (await client.execute(DELETE, change | {"input": {"id": budget_id}}, token=bob))[
        "deleteBudget"
    ]["errors"] == not_found_budget
    assert (await client.execute(NODE, {"id": budget_id}, token=bob))["node"] is None

    # when Mary, a shopper of A1, tries
    mary = w.tokens["mary"]
    not_permitted = "You may not manage this account"
    assert (await client.execute(CREATE, new_budget(w.account), token=mary))["createBudget"][
        "errors"
    ] == [{"field": ["accountId"], "code": "NOT_PERMITTED", "message": not_permitted}]
    assert (await client.execute(UPDATE, change, token=mary))["updateBudget"]["errors"] == [
        {"field": ["id"], "code": "NOT_PERMITTED", "message": not_permitted}
    ]
    # she reads no budgets of her account, nor the budget by its ID
    listed = await client.execute(BUDGETS, {"code": "A1"}, token=mary)
    assert listed["account"]["budgets"]["nodes"] == []
    assert (await client.execute(NODE, {"id": budget_id}, token=mary))["node"] is None

    # then the budget is as it was; its administrator still reads it
    await session.refresh(budget)
    assert budget.amount == Decimal("100.00")
    assert (await client.execute(NODE, {"id": budget_id}, token=w.tokens["alice"]))["node"] == {
        "amount": "100.00"
    }


async def test_bad_values_are_refused_on_their_fields_and_change_nothing(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given account A1's administrator
    w = await world(client, session)
    alice = w.tokens["alice"]

    async def errors(**values: Any) -> list[dict[str, Any]]:
        data = await client.execute(CREATE, new_budget(w.account, **values), token=alice)
        assert data["createBudget"]["budget"] is None
        result: list[dict[str, Any]] = data["createBudget"]["errors"]
        return result

    # when budgets with bad values are created, then each is refused on its field
    assert await errors(amount="-5.00") == [
        {"field": ["amount"], "code": "INVALID", "message": "amount must be at least 0"}
    ]
    assert await errors(period="CUSTOM") == [
        {"field": ["startsOn"], "code": "REQUIRED", "message": "A CUSTOM period needs its dates"},
        {"field": ["endsOn"], "code": "REQUIRED", "message": "A CUSTOM period needs its dates"},
    ]
    assert await errors(period="CUSTOM", startsOn="2026-06-30", endsOn="2026-06-01") == [
        {"field": ["endsOn"], "code": "INVALID", "message": "The period ends before it starts"}
    ]
    assert await errors(scope="MEMBERSHIP") == [
        {"field": ["membershipId"], "code": "REQUIRED", "message": "A MEMBERSHIP budget names it"}
    ]
    other = await make_account(session, code="C1")
    stranger = await make_contact(session, account=other)
    foreign = await session.scalar(
        select(AccountMembership).where(AccountMembership.contact_id == stranger.id)  # type: ignore[arg-type]
    )
    assert foreign is not None
    await session.commit()
    assert await errors(scope="MEMBERSHIP", membershipId=gid("AccountMembership", foreign.id)) == [
        {
            "field": ["membershipId"],
            "code": "NOT_FOUND",
            "message": "No such membership of the account",
        }
    ]
    assert await budget_count(session) == 0

    # and an update that would end a custom period before it starts changes nothing
    budget = await make_budget(session, account=w.account, amount="100.00")
    data = await client.execute(
        UPDATE,
        {
            "input": {
                "id": gid("Budget", budget.id),
                "period": "CUSTOM",
                "startsOn": "2026-06-30",
                "endsOn": "2026-06-01",
                "amount": "7.00",
            }
        },
        token=alice,
    )
    assert data["updateBudget"]["errors"] == [
        {"field": ["endsOn"], "code": "INVALID", "message": "The period ends before it starts"}
    ]
    nulled = await client.execute(
        UPDATE, {"input": {"id": gid("Budget", budget.id), "amount": None}}, token=alice
    )
    assert nulled["updateBudget"]["errors"] == [
        {"field": ["amount"], "code": "REQUIRED", "message": "amount may not be empty"}
    ]
    await session.refresh(budget)
    assert (budget.amount, budget.starts_on) == (Decimal("100.00"), None)


async def test_a_membership_budget_goes_with_its_membership(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a budget of Mary's membership
    w = await world(client, session)
    await make_budget(
        session,
        account=w.account,
        amount="100.00",
        scope=BudgetScope.MEMBERSHIP,
        membership_id=w.membership.id,
    )

    # when staff remove Mary from the account
    data = await client.execute(
        "mutation($i: DeleteMembershipInput!) { deleteMembership(input: $i) { errors { code } } }",
        {"i": {"id": gid("AccountMembership", w.membership.id)}},
        token=w.tokens["service"],
    )

    # then her budget is gone with it
    assert data["deleteMembership"]["errors"] == []
    assert await budget_count(session) == 0


async def test_the_accounts_sales_rep_sets_its_budgets_and_another_rep_finds_none(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an account of rep REP01, its rep and another rep
    account = await make_account(session, code="R1", sales_rep_code="REP01")
    for username, code in (("rep1", "REP01"), ("rep2", "REP02")):
        await make_worker(session, username=username, role=WorkerRole.SALES_REP, rep_code=code)
    tokens = {name: await client.login(name, PASSWORD) for name in ("rep1", "rep2")}

    # when each creates a budget for it
    own = await client.execute(CREATE, new_budget(account), token=tokens["rep1"])
    other = await client.execute(CREATE, new_budget(account), token=tokens["rep2"])

    # then the account's rep may, the other rep finds no such account
    assert own["createBudget"]["errors"] == []
    assert other["createBudget"]["errors"] == [
        {"field": ["accountId"], "code": "NOT_FOUND", "message": "No such account"}
    ]
    assert await budget_count(session) == 1
