"""registerAccount: validation, settings, defaults and web account numbering."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.registration import CUSTOMER_DATA_SECTION
from models import Account
from tests.api.registration.operations import REGISTER_ACCOUNT, registration
from tests.factories import make_account, make_contact, save_settings
from tests.graphql_client import GraphQLClient


async def test_every_invalid_field_is_reported_at_once(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given account creation is on
    await save_settings(session, CUSTOMER_DATA_SECTION, allow_new_accounts=True)

    # when a visitor sends a form full of mistakes
    data = await client.execute(
        REGISTER_ACCOUNT,
        {
            "input": registration(
                companyName=" ",
                email="not-an-email",
                username="linh",
                password="linh",
                billingAddress={
                    "line1": "1 Road",
                    "city": "Geelong",
                    "postcode": "",
                    "country": "Australia",
                },
            )
        },
    )

    # then every mistake names its field, and nothing was created
    assert data["registerAccount"]["errors"] == [
        {"field": ["companyName"], "code": "REQUIRED", "message": "companyName is required"},
        {
            "field": ["email"],
            "code": "INVALID",
            "message": "'not-an-email' is not an e-mail address",
        },
        {
            "field": ["password"],
            "code": "INVALID",
            "message": "Password must be at least 12 characters",
        },
        {
            "field": ["billingAddress", "postcode"],
            "code": "REQUIRED",
            "message": "postcode is required",
        },
        {
            "field": ["billingAddress", "country"],
            "code": "INVALID",
            "message": "country must be an ISO 3166-1 alpha-2 code such as AU",
        },
    ]
    assert data["registerAccount"]["account"] is None


async def test_a_password_equal_to_the_username_is_refused(
    client: GraphQLClient, session: AsyncSession
) -> None:
    await save_settings(session, CUSTOMER_DATA_SECTION, allow_new_accounts=True)

    data = await client.execute(
        REGISTER_ACCOUNT,
        {"input": registration(username="linh.nguyen.2026", password="Linh.Nguyen.2026")},
    )

    assert data["registerAccount"]["errors"] == [
        {"field": ["password"], "code": "INVALID", "message": "Password must not be the username"}
    ]


async def test_a_taken_username_is_refused_without_naming_its_account(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a contact of another account already uses the name
    await save_settings(session, CUSTOMER_DATA_SECTION, allow_new_accounts=True)
    other = await make_account(session, code="OTHER1", company_name="Other Co")
    await make_contact(session, account=other, username="linh")

    # when a visitor asks for it
    data = await client.execute(REGISTER_ACCOUNT, {"input": registration(username="Linh")})

    # then it is told only that the name is taken, and nothing was created
    assert data["registerAccount"]["errors"] == [
        {"field": ["username"], "code": "DUPLICATE", "message": "That username is taken"}
    ]
    assert data["registerAccount"]["account"] is None
    assert await session.scalar(select(func.count()).select_from(Account)) == 1


async def test_switched_off_account_creation_is_refused(
    client: GraphQLClient, session: AsyncSession
) -> None:
    data = await client.execute(REGISTER_ACCOUNT, {"input": registration()})

    assert data["registerAccount"]["errors"] == [
        {
            "field": None,
            "code": "NOT_PERMITTED",
            "message": "New accounts cannot be created on this site",
        }
    ]


async def test_new_accounts_get_the_configured_defaults_and_prefix(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given defaults for new accounts and a custom prefix
    await save_settings(
        session,
        CUSTOMER_DATA_SECTION,
        allow_new_accounts=True,
        web_account_prefix="WEB",
        default_payment_terms_kind="GIVEN_NUMBER_OF_DAYS",
        default_payment_terms_value=30,
        default_customer_groups=["RETAIL", "NEWSLETTER"],
        default_price_level="B",
        default_sales_rep_code="REP02",
    )

    # when a visitor registers
    data = await client.execute(REGISTER_ACCOUNT, {"input": registration()})

    # then the account carries them, with the billing address as its primary address
    account = data["registerAccount"]["account"]
    assert account["code"].startswith("WEB")
    assert {k: v for k, v in account.items() if k != "code"} == {
        "isActive": True,
        "source": "WEB",
        "awaitingApproval": False,
        "awaitingErpExport": True,
        "customerGroups": ["RETAIL", "NEWSLETTER"],
        "priceLevel": "B",
        "salesRepCode": "REP02",
        "paymentTermsKind": "GIVEN_NUMBER_OF_DAYS",
        "paymentTermsValue": 30,
        "primaryAddress": {
            "kind": "BILLING",
            "line1": "12 Timber Lane",
            "postcode": "3220",
            "isPrimary": True,
        },
    }


async def test_concurrent_registrations_get_distinct_consecutive_numbers(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given account creation is on
    await save_settings(session, CUSTOMER_DATA_SECTION, allow_new_accounts=True)

    # when eight visitors register at the same moment
    results = await asyncio.gather(
        *(
            client.execute(
                REGISTER_ACCOUNT,
                {"input": registration(username=f"visitor{n}", companyName=f"Visitor {n}")},
            )
            for n in range(8)
        )
    )

    # then each got its own number, from one unbroken run of the sequence
    numbers = sorted(int(r["registerAccount"]["account"]["code"][1:]) for r in results)
    assert [r["registerAccount"]["errors"] for r in results] == [[]] * 8
    assert numbers == list(range(numbers[0], numbers[0] + 8))


async def test_a_number_the_erp_already_uses_is_skipped(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given the next web number is already an ERP account's code
    await save_settings(session, CUSTOMER_DATA_SECTION, allow_new_accounts=True)
    first = await client.execute(REGISTER_ACCOUNT, {"input": registration(username="first1")})
    number = int(first["registerAccount"]["account"]["code"][1:])
    await make_account(session, code=f"W{number + 1}")

    # when the next visitor registers
    data = await client.execute(REGISTER_ACCOUNT, {"input": registration(username="second2")})

    # then it gets the number after
    assert data["registerAccount"]["account"]["code"] == f"W{number + 2}"
