"""Locations: the ERP feeds of locations and stock, and an account's locations with one primary."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import ApiKeyScope, SurchargeKind, WorkerRole
from schema.relay import encode_global_id
from tests.factories import (
    PASSWORD,
    make_account,
    make_api_key,
    make_location,
    make_product,
    make_worker,
)
from tests.graphql_client import GraphQLClient

SYNC_LOCATIONS = """
mutation Sync($input: SyncLocationsInput!) {
  syncLocations(input: $input) {
    results { key outcome errors { field code message } }
    counts { created updated unchanged deleted failed }
    errors { field code message }
  }
}
"""

SYNC_STOCK = """
mutation Sync($input: SyncStockInput!) {
  syncStock(input: $input) {
    results { key outcome errors { field code message } }
    counts { created updated unchanged deleted failed }
    errors { field code message }
  }
}
"""

SET_LOCATIONS = """
mutation Set($input: SetAccountLocationsInput!) {
  setAccountLocations(input: $input) {
    account { code locations { isPrimary location { code surchargeKind surchargeValue } } }
    errors { field code message }
  }
}
"""


async def test_the_erp_feeds_locations_and_stock(
    client: GraphQLClient, session: AsyncSession
) -> None:
    await make_product(session, sku="PIPE")
    key = await make_api_key(session, scopes=[ApiKeyScope.SYNC])

    locations = await client.execute(
        SYNC_LOCATIONS,
        {
            "input": {
                "records": [
                    {"code": "syd", "name": "Sydney"},
                    {
                        "code": "PER",
                        "name": "Perth",
                        "surchargeKind": "PERCENT",
                        "surchargeValue": "5.00",
                    },
                    {
                        "code": "BAD",
                        "name": "Bad",
                        "surchargeKind": "PERCENT",
                        "surchargeValue": "101",
                    },
                ]
            }
        },
        token=key,
    )
    stock = await client.execute(
        SYNC_STOCK,
        {
            "input": {
                "records": [
                    {"sku": "PIPE", "locationCode": "SYD", "quantity": 12},
                    {"sku": "PIPE", "locationCode": "SYD", "quantity": 12},
                    {"sku": "PIPE", "locationCode": "NOWHERE", "quantity": -1},
                ]
            }
        },
        token=key,
    )
    seen = await client.execute(
        'query { product(sku: "PIPE") { stock { quantity location { code } } } }', token=key
    )

    assert locations["syncLocations"] == {
        "results": [
            {"key": "SYD", "outcome": "CREATED", "errors": []},
            {"key": "PER", "outcome": "CREATED", "errors": []},
            {
                "key": "BAD",
                "outcome": "FAILED",
                "errors": [
                    {
                        "field": ["records", "2", "surchargeValue"],
                        "code": "LIMIT_EXCEEDED",
                        "message": "surchargeValue must be at most 100",
                    }
                ],
            },
        ],
        "counts": {"created": 2, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 1},
        "errors": [],
    }
    assert stock["syncStock"] == {
        "results": [
            {"key": "PIPE/SYD", "outcome": "CREATED", "errors": []},
            {"key": "PIPE/SYD", "outcome": "UNCHANGED", "errors": []},
            {
                "key": "PIPE/NOWHERE",
                "outcome": "FAILED",
                "errors": [
                    {
                        "field": ["records", "2", "quantity"],
                        "code": "INVALID",
                        "message": "quantity must be between 0 and 1000000000",
                    }
                ],
            },
        ],
        "counts": {"created": 1, "updated": 0, "unchanged": 1, "deleted": 0, "failed": 1},
        "errors": [],
    }
    assert seen == {"product": {"stock": [{"quantity": 12, "location": {"code": "SYD"}}]}}


async def test_staff_set_an_accounts_locations_with_one_primary(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an account already served from Perth, and two more locations
    account = await make_account(session, code="ACME")
    await make_location(session, code="PER", accounts=[(account, True)])
    await make_location(session, code="SYD")
    await make_location(
        session, code="MEL", surcharge_kind=SurchargeKind.FIXED, surcharge_value=Decimal("15.00")
    )
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    token = await client.login("service", PASSWORD)
    assert account.id is not None
    account_id = encode_global_id("Account", account.id)

    # when staff move it to Sydney (primary) and Melbourne, then try two bad changes
    moved = await client.execute(
        SET_LOCATIONS,
        {
            "input": {
                "accountId": account_id,
                "locationCodes": ["SYD", "mel"],
                "primaryLocationCode": "syd",
            }
        },
        token=token,
    )
    refused = await client.execute(
        SET_LOCATIONS,
        {
            "input": {
                "accountId": account_id,
                "locationCodes": ["SYD", "HOB"],
                "primaryLocationCode": "PER",
            }
        },
        token=token,
    )

    # then the account has exactly those locations; the refusal changed nothing
    assert moved["setAccountLocations"] == {
        "account": {
            "code": "ACME",
            "locations": [
                {
                    "isPrimary": True,
                    "location": {"code": "SYD", "surchargeKind": "NONE", "surchargeValue": "0.00"},
                },
                {
                    "isPrimary": False,
                    "location": {
                        "code": "MEL",
                        "surchargeKind": "FIXED",
                        "surchargeValue": "15.00",
                    },
                },
            ],
        },
        "errors": [],
    }
    assert refused["setAccountLocations"] == {
        "account": None,
        "errors": [
            {"field": ["locationCodes", "1"], "code": "NOT_FOUND", "message": "No location HOB"},
            {
                "field": ["primaryLocationCode"],
                "code": "INVALID",
                "message": "The primary location must be one of the account's locations",
            },
        ],
    }
