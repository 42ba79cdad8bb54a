"""settings { customerData } and updateCustomerDataSettings."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import WorkerRole
from tests.factories import PASSWORD, make_worker
from tests.graphql_client import GraphQLClient

SETTINGS = """
query { settings { customerData {
  allowNewAccounts signInLinkText immediateAccess defaultPaymentTermsKind
  defaultPaymentTermsValue defaultCustomerGroups defaultPriceLevel defaultSalesRepCode
  allowNewContacts webAccountPrefix verificationRecencyDays
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
