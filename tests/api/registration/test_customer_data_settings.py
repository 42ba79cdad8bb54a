"""settings { customerData } and updateCustomerDataSettings."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import WorkerRole
from tests.factories import PASSWORD, make_location, make_worker
from tests.graphql_client import GraphQLClient

SETTINGS = """
query { settings { customerData {
  allowNewAccounts signInLinkText immediateAccess defaultPaymentTermsKind
  defaultPaymentTermsValue defaultCustomerGroups defaultPriceLevel defaultSalesRepCode
  defaultPaymentTypes defaultLocationCode allowNewContacts webAccountPrefix verificationRecencyDays
} } }
"""
UPDATE = """
mutation Update($input: UpdateCustomerDataSettingsInput!) {
  updateCustomerDataSettings(input: $input) {
    customerData { allowNewAccounts webAccountPrefix defaultPriceLevel immediateAccess }
    errors { field code message }
  }
}
"""


async def test_anyone_reads_the_defaults(client: GraphQLClient) -> None:
    data = await client.execute(SETTINGS)

    assert data["settings"]["customerData"] == {
        "allowNewAccounts": False,
        "signInLinkText": "Create an account",
        "immediateAccess": True,
        "defaultPaymentTermsKind": "NOT_SPECIFIED",
        "defaultPaymentTermsValue": None,
        "defaultCustomerGroups": [],
        "defaultPriceLevel": None,
        "defaultSalesRepCode": None,
        "defaultPaymentTypes": ["CREDIT_CARD"],
        "defaultLocationCode": None,
        "allowNewContacts": False,
        "webAccountPrefix": "W",
        "verificationRecencyDays": 365,
    }


async def test_an_admin_saves_settings_and_bad_values_are_named(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an administrator and a customer-service worker
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    admin = await client.login("admin", PASSWORD)
    service = await client.login("service", PASSWORD)

    # when the admin switches account creation on, then tries a bad prefix; service tries too
    saved = await client.execute(
        UPDATE,
        {"input": {"allowNewAccounts": True, "webAccountPrefix": "web", "defaultPriceLevel": "b"}},
        token=admin,
    )
    bad = await client.execute(UPDATE, {"input": {"webAccountPrefix": "1-X"}}, token=admin)
    forbidden = await client.errors(UPDATE, {"input": {"allowNewAccounts": False}}, token=service)

    # then the saved values are normalised, the bad one refused and the other worker forbidden
    assert saved["updateCustomerDataSettings"] == {
        "customerData": {
            "allowNewAccounts": True,
            "webAccountPrefix": "WEB",
            "defaultPriceLevel": "B",
            "immediateAccess": True,
        },
        "errors": [],
    }
    assert bad["updateCustomerDataSettings"]["errors"] == [
        {
            "field": ["webAccountPrefix"],
            "code": "INVALID",
            "message": "Value error, "
            "The prefix is 1 to 8 letters or digits, starting with a letter",
        }
    ]
    assert [e["extensions"]["code"] for e in forbidden] == ["FORBIDDEN"]
    after = await client.execute(SETTINGS)
    assert after["settings"]["customerData"]["webAccountPrefix"] == "WEB"


DEFAULTS = """
mutation Update($input: UpdateCustomerDataSettingsInput!) {
  updateCustomerDataSettings(input: $input) {
    customerData { defaultPaymentTypes defaultLocationCode }
    errors { field code message }
  }
}
"""


async def test_the_payment_types_and_location_of_new_accounts_are_checked(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an administrator and a location
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    await make_location(session, code="MEL")
    await session.commit()
    admin = await client.login("admin", PASSWORD)

    # when it sets both, then tries no payment type and a location that does not exist
    saved = await client.execute(
        DEFAULTS,
        {
            "input": {
                "defaultPaymentTypes": ["ON_ACCOUNT", "CREDIT_CARD", "ON_ACCOUNT"],
                "defaultLocationCode": "mel",
            }
        },
        token=admin,
    )
    no_types = await client.execute(DEFAULTS, {"input": {"defaultPaymentTypes": []}}, token=admin)
    no_location = await client.execute(
        DEFAULTS, {"input": {"defaultLocationCode": "XYZ"}}, token=admin
    )

    # then the good values are kept (normalised), the bad ones refused and nothing changed
    assert saved["updateCustomerDataSettings"] == {
        "customerData": {
            "defaultPaymentTypes": ["ON_ACCOUNT", "CREDIT_CARD"],
            "defaultLocationCode": "MEL",
        },
        "errors": [],
    }
    assert no_types["updateCustomerDataSettings"]["errors"] == [
        {
            "field": ["defaultPaymentTypes"],
            "code": "INVALID",
            "message": "List should have at least 1 item after validation, not 0",
        }
    ]
    assert no_location["updateCustomerDataSettings"]["errors"] == [
        {"field": ["defaultLocationCode"], "code": "NOT_FOUND", "message": "No location XYZ"}
    ]
    after = await client.execute(SETTINGS)
    assert (
        after["settings"]["customerData"]["defaultPaymentTypes"],
        after["settings"]["customerData"]["defaultLocationCode"],
    ) == (["ON_ACCOUNT", "CREDIT_CARD"], "MEL")
