"""Shipments (seed 002 "orders, shipments, invoices, payments, credits"): an enquiry record kind
the ERP syncs, linked to the web order it ships and read in the enquiry and on the order."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from models import EnquiryRecord
from tests.api.orders.test_orders import place_orders
from tests.api.sync.test_sync_records import sync_key
from tests.factories import PASSWORD, make_account, make_contact
from tests.graphql_client import GraphQLClient

SYNC = """
mutation Sync($input: SyncEnquiryRecordsInput!) {
  syncEnquiryRecords(input: $input) {
    counts { created updated failed }
    results { errors { field code message } enquiryRecord { number order { number } } }
  }
}
"""
NUMBER = "query Order($id: ID!) { order(id: $id) { number } }"
ON_THE_ORDER = """
query Order($id: ID!) {
  order(id: $id) { number shipments { number carrier trackingNumber documentDate status } }
}
"""
IN_THE_ENQUIRY = """
query Enquiry($code: String!) {
  account(code: $code) {
    enquiryRecords(kind: SHIPMENT, first: 10) {
      nodes { kind number carrier trackingNumber order { number } }
    }
  }
}
"""


def shipment(number: str, order_number: str | None, **values: Any) -> dict[str, Any]:
    return {
        "erpKey": f"SHP-{number}",
        "accountErpKey": "ERP-ABC",
        "kind": "SHIPMENT",
        "number": number,
        "documentDate": "2026-11-20",
        "amount": "5.00",
        "orderNumber": order_number,
        "carrier": "StarTrack",
        "trackingNumber": f"ST{number}",
        **values,
    }


async def test_the_erp_ships_a_web_order_and_the_shopper_sees_it_on_the_order_and_in_enquiry(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    # given a shopper's web order at ABC1234
    account = await make_account(session, code="ABC1234", erp_key="ERP-ABC")
    mary = await make_contact(session, account=account, username="mary")
    [order_id] = await place_orders(client, session, account, mary, 1)
    token = await client.login("mary", PASSWORD)
    number = (await client.execute(NUMBER, {"id": order_id}, token=token))["order"]["number"]
    erp = await sync_key(session, settings)

    # when the ERP sends two shipments of it (the order number as the export gave it)
    synced = await client.execute(
        SYNC,
        {"input": {"records": [shipment("D1", number), shipment("D2", number.lower())]}},
        token=erp,
    )
    on_order = await client.execute(ON_THE_ORDER, {"id": order_id}, token=token)
    enquiry = await client.execute(IN_THE_ENQUIRY, {"code": "ABC1234"}, token=token)

    # then both are linked to the order, listed on it and in the account's enquiry
    assert synced["syncEnquiryRecords"]["counts"] == {"created": 2, "updated": 0, "failed": 0}
    assert on_order["order"]["shipments"] == [
        {
            "number": "D1",
            "carrier": "StarTrack",
            "trackingNumber": "STD1",
            "documentDate": "2026-11-20",
            "status": "OPEN",
        },
        {
            "number": "D2",
            "carrier": "StarTrack",
            "trackingNumber": "STD2",
            "documentDate": "2026-11-20",
            "status": "OPEN",
        },
    ]
    assert sorted(
        (n["number"], n["kind"], n["order"]["number"])
        for n in enquiry["account"]["enquiryRecords"]["nodes"]
    ) == [("D1", "SHIPMENT", number), ("D2", "SHIPMENT", number)]


async def test_a_shipment_of_an_unknown_or_another_accounts_order_is_refused_and_not_stored(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    # given an order of another account
    await make_account(session, code="ABC1234", erp_key="ERP-ABC")
    other = await make_account(session, code="C1001", erp_key="ERP-C1001")
    bill = await make_contact(session, account=other, username="bill")
    [order_id] = await place_orders(client, session, other, bill, 1)
    token = await client.login("bill", PASSWORD)
    theirs = (await client.execute(NUMBER, {"id": order_id}, token=token))["order"]["number"]
    erp = await sync_key(session, settings)

    # when the ERP names it, a number that is no web order, and an order that does not exist
    data = await client.execute(
        SYNC,
        {
            "input": {
                "records": [
                    shipment("D1", theirs),
                    shipment("D2", "SO-1001"),
                    shipment("D3", "W9999999"),
                    shipment("D4", None),
                ]
            }
        },
        token=erp,
    )

    # then the three are refused on orderNumber, the one without an order is kept unlinked
    results = data["syncEnquiryRecords"]["results"]
    assert [r["errors"] for r in results] == [
        [
            {
                "field": ["records", str(i), "orderNumber"],
                "code": "NOT_FOUND",
                "message": f"No web order {n} of this account",
            }
        ]
        for i, n in enumerate((theirs, "SO-1001", "W9999999"))
    ] + [[]]
    assert results[3]["enquiryRecord"] == {"number": "D4", "order": None}
    assert await session.scalar(select(func.count()).select_from(EnquiryRecord)) == 1
