"""createAccount, updateAccount, setAccountActive."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import MembershipRole, WorkerRole
from models import Account
from tests.factories import PASSWORD, make_account, make_contact, make_worker
from tests.graphql_client import GraphQLClient, gid

CREATE = """
mutation Create($input: CreateAccountInput!) {
  createAccount(input: $input) {
    account { code companyName source paymentTypes priceLevel isActive balanceLimit }
    errors { field code message }
  }
}
"""

UPDATE = """
mutation Update($input: UpdateAccountInput!) {
  updateAccount(input: $input) {
    account { code email priceLevel discountPercent }
    errors { field code message }
  }
}
"""

SET_ACTIVE = """
mutation SetActive($input: SetAccountActiveInput!) {
  setAccountActive(input: $input) { account { code isActive } errors { field code message } }
}
"""

VIEWER = "query { viewer { kind activeAccount { code } } }"


async def _staff_token(client: GraphQLClient, session: AsyncSession) -> str:
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    return await client.login("service", PASSWORD)


async def _account_count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Account)) or 0)


async def test_staff_add_an_account_from_the_crm_workspace(
    client: GraphQLClient, session: AsyncSession
) -> None:
    token = await _staff_token(client, session)

    data = await client.execute(
        CREATE,
        {
            "input": {
                "code": " w500 ",
                "companyName": "Walk-in Trade",
                "paymentTypes": ["CREDIT_CARD", "ON_ACCOUNT", "CREDIT_CARD"],
                "priceLevel": "b",
                "balanceLimit": "2500.00",
            }
        },
        token=token,
    )

    assert data["createAccount"] == {
        "account": {
            "code": "W500",
            "companyName": "Walk-in Trade",
            "source": "WEB",
            "paymentTypes": ["CREDIT_CARD", "ON_ACCOUNT"],
            "priceLevel": "B",
            "isActive": True,
            "balanceLimit": "2500.00",
        },
        "errors": [],
    }


async def test_bad_input_is_refused_field_by_field_and_nothing_is_written(
    client: GraphQLClient, session: AsyncSession
) -> None:
    token = await _staff_token(client, session)
    await make_account(session, code="TAKEN")

    invalid = await client.execute(
        CREATE,
        {
            "input": {
                "code": "NEW1",
                "companyName": " ",
                "email": "not-an-email",
                "discountPercent": "12.345",
                "balanceLimit": "-5",
            }
        },
        token=token,
    )
    duplicate = await client.execute(
        CREATE, {"input": {"code": "taken", "companyName": "Again"}}, token=token
    )

    assert invalid["createAccount"] == {
        "account": None,
        "errors": [
            {"field": ["companyName"], "code": "REQUIRED", "message": "companyName is required"},
            {
                "field": ["email"],
                "code": "INVALID",
                "message": "'not-an-email' is not an e-mail address",
            },
            {
                "field": ["discountPercent"],
                "code": "INVALID",
                "message": "discountPercent must have at most two decimal places",
            },
        ],
    }
    assert duplicate["createAccount"]["errors"] == [
        {
            "field": ["code"],
            "code": "DUPLICATE",
            "message": "Account number TAKEN is already in use",
        }
    ]
    assert await _account_count(session) == 1


async def test_a_negative_balance_limit_is_allowed_as_prepayment(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # TOTECS: "a negative amount denotes that account must have paid first the given amount"
    token = await _staff_token(client, session)

    data = await client.execute(
        CREATE,
        {"input": {"code": "PRE1", "companyName": "Prepaid", "balanceLimit": "-5"}},
        token=token,
    )

    assert data["createAccount"]["account"]["balanceLimit"] == "-5.00"


async def test_shoppers_cannot_add_accounts(client: GraphQLClient, session: AsyncSession) -> None:
    account = await make_account(session)
    await make_contact(session, account=account, username="shopper")
    token = await client.login("shopper", PASSWORD)

    errors = await client.errors(CREATE, {"input": {"code": "X1", "companyName": "X"}}, token=token)

    assert [e["extensions"]["code"] for e in errors] == ["FORBIDDEN"]
    assert await _account_count(session) == 1


async def test_an_account_administrator_edits_contact_details_but_not_erp_fields(
    client: GraphQLClient, session: AsyncSession
) -> None:
    account = await make_account(session, code="ADM1", price_level="C")
    await make_contact(session, account=account, username="boss", role=MembershipRole.ADMINISTRATOR)
    token = await client.login("boss", PASSWORD)
    account_id = gid("Account", account.id)

    allowed = await client.execute(
        UPDATE, {"input": {"id": account_id, "email": "ap@adm1.example"}}, token=token
    )
    refused = await client.execute(
        UPDATE,
        {"input": {"id": account_id, "email": "x@adm1.example", "priceLevel": "A"}},
        token=token,
    )

    assert allowed["updateAccount"] == {
        "account": {
            "code": "ADM1",
            "email": "ap@adm1.example",
            "priceLevel": "C",
            "discountPercent": "0.00",
        },
        "errors": [],
    }
    assert refused["updateAccount"] == {
        "account": None,
        "errors": [
            {
                "field": ["priceLevel"],
                "code": "NOT_PERMITTED",
                "message": "priceLevel is kept by the ERP or staff and cannot be changed here",
            }
        ],
    }
    await session.refresh(account)
    assert account.email == "ap@adm1.example"


async def test_a_shopper_cannot_edit_its_account_and_nobody_edits_an_unseen_one(
    client: GraphQLClient, session: AsyncSession
) -> None:
    mine = await make_account(session)
    other = await make_account(session)
    await make_contact(session, account=mine, username="shopper")
    token = await client.login("shopper", PASSWORD)

    own = await client.execute(
        UPDATE, {"input": {"id": gid("Account", mine.id), "email": "a@b.example"}}, token=token
    )
    unseen = await client.execute(
        UPDATE, {"input": {"id": gid("Account", other.id), "email": "a@b.example"}}, token=token
    )

    assert own["updateAccount"]["errors"] == [
        {"field": ["id"], "code": "NOT_PERMITTED", "message": "You may not manage this account"}
    ]
    assert unseen["updateAccount"]["errors"] == [
        {"field": ["id"], "code": "NOT_FOUND", "message": "No such account"}
    ]


async def test_disabling_an_account_logs_its_contacts_out_at_once(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a contact logged in to an account
    account = await make_account(session, code="OFF1")
    await make_contact(session, account=account, username="buyer")
    buyer = await client.login("buyer", PASSWORD)
    staff = await _staff_token(client, session)

    # when staff disable the account
    data = await client.execute(
        SET_ACTIVE, {"input": {"id": gid("Account", account.id), "isActive": False}}, token=staff
    )

    # then the open session stops working and a new login is refused
    assert data["setAccountActive"] == {
        "account": {"code": "OFF1", "isActive": False},
        "errors": [],
    }
    response = await client.raw(VIEWER, token=buyer)
    assert response.status_code == 401
    login = await client.execute(
        "mutation($input: LoginInput!) { login(input: $input) { token errors { code message } } }",
        {"input": {"username": "buyer", "password": PASSWORD}},
    )
    assert login["login"] == {
        "token": None,
        "errors": [
            {
                "code": "NOT_PERMITTED",
                "message": "Your login is not active: the account is disabled or awaiting approval",
            }
        ],
    }


async def test_only_staff_enable_or_disable_accounts(
    client: GraphQLClient, session: AsyncSession
) -> None:
    account = await make_account(session)
    await make_contact(session, account=account, username="boss", role=MembershipRole.ADMINISTRATOR)
    token = await client.login("boss", PASSWORD)

    errors = await client.errors(
        SET_ACTIVE, {"input": {"id": gid("Account", account.id), "isActive": False}}, token=token
    )

    assert [e["extensions"]["code"] for e in errors] == ["FORBIDDEN"]


async def test_an_erp_key_another_account_holds_is_refused(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an account the ERP knows as ERP-7, and another one
    await make_account(session, code="HELD", erp_key="ERP-7")
    other = await make_account(session, code="OTHER", erp_key="ERP-8")
    token = await _staff_token(client, session)

    # when staff give ERP-7 to a new account and to the other one, and OTHER keeps its own
    created = await client.execute(
        CREATE, {"input": {"code": "NEW", "companyName": "New", "erpKey": "ERP-7"}}, token=token
    )
    updated = await client.execute(
        UPDATE, {"input": {"id": gid("Account", other.id), "erpKey": "ERP-7"}}, token=token
    )
    kept = await client.execute(
        UPDATE,
        {"input": {"id": gid("Account", other.id), "erpKey": "ERP-8", "email": "a@b.example"}},
        token=token,
    )

    # then
    refusal = [
        {"field": ["erpKey"], "code": "DUPLICATE", "message": "ERP key ERP-7 is already in use"}
    ]
    assert created["createAccount"] == {"account": None, "errors": refusal}
    assert updated["updateAccount"] == {"account": None, "errors": refusal}
    assert kept["updateAccount"]["errors"] == []
    assert await _account_count(session) == 2
