"""setCartShipTo, setCartDetails and setCostCentres: CM10's ship-to, future order and cost
centre rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import AddressKind, MembershipRole, WorkerRole
from models import Account, Cart
from tests.factories import (
    PASSWORD,
    make_account,
    make_address,
    make_cart,
    make_contact,
    make_worker,
)
from tests.graphql_client import GraphQLClient, gid

SHIP_TO = """
mutation ShipTo($input: SetCartShipToInput!) {
  setCartShipTo(input: $input) {
    cart { shipTo { name line1 city country } }
    errors { field code message }
  }
}
"""
DETAILS = """
mutation Details($input: SetCartDetailsInput!) {
  setCartDetails(input: $input) {
    cart { poNumber costCentre notes dateRequired }
    errors { field code message }
  }
}
"""
COST_CENTRES = """
mutation CostCentres($input: SetCostCentresInput!) {
  setCostCentres(input: $input) {
    account { costCentres { nodes { code name } } }
    errors { field code message }
  }
}
"""
MANUAL = {"name": "Site 9", "line1": "9 Quarry Rd", "city": "Geelong", "postcode": "3220"}


async def arrange(
    client: GraphQLClient, session: AsyncSession, **membership: Any
) -> tuple[str, Cart, Account]:
    account = await make_account(session)
    await make_address(session, account=account, line1="1 Main Street", is_primary=True)
    shopper = await make_contact(
        session, account=account, username="shopper", membership=membership
    )
    cart = await make_cart(session, account=account, contact=shopper)
    return await client.login("shopper", PASSWORD), cart, account


def ship_to_input(cart: Cart, **values: Any) -> dict[str, Any]:
    return {"input": {"cartId": gid("Cart", cart.id), **values}}


async def test_without_rights_the_cart_ships_to_the_account(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a shopper with neither 'Select Ship To' nor 'Allow Manual Ship To'
    token, cart, account = await arrange(client, session)
    depot = await make_address(session, account=account, kind=AddressKind.SHIPPING, line1="Depot")

    # when it picks an address, types one, and asks for the default
    chosen = await client.execute(
        SHIP_TO, ship_to_input(cart, addressId=gid("Address", depot.id)), token=token
    )
    typed = await client.execute(SHIP_TO, ship_to_input(cart, address=MANUAL), token=token)
    default = await client.execute(SHIP_TO, ship_to_input(cart), token=token)

    # then only the default is allowed: the account's primary address
    assert chosen["setCartShipTo"]["errors"] == [
        {
            "field": ["addressId"],
            "code": "NOT_PERMITTED",
            "message": "You may not choose the ship-to address for this account",
        }
    ]
    assert typed["setCartShipTo"]["errors"] == [
        {
            "field": ["address"],
            "code": "NOT_PERMITTED",
            "message": "You may not enter a ship-to address for this account",
        }
    ]
    assert default["setCartShipTo"]["cart"]["shipTo"]["line1"] == "1 Main Street"


async def test_a_shopper_may_choose_one_of_the_accounts_shipping_addresses(
    client: GraphQLClient, session: AsyncSession
) -> None:
    token, cart, account = await arrange(client, session, may_select_ship_to=True)
    depot = await make_address(session, account=account, kind=AddressKind.SHIPPING, line1="Depot")
    elsewhere = await make_address(
        session, account=await make_account(session), kind=AddressKind.SHIPPING
    )

    chosen = await client.execute(
        SHIP_TO, ship_to_input(cart, addressId=gid("Address", depot.id)), token=token
    )
    foreign = await client.execute(
        SHIP_TO, ship_to_input(cart, addressId=gid("Address", elsewhere.id)), token=token
    )

    assert chosen["setCartShipTo"]["cart"]["shipTo"]["line1"] == "Depot"
    assert foreign["setCartShipTo"]["errors"] == [
        {
            "field": ["addressId"],
            "code": "NOT_FOUND",
            "message": "No such shipping address of the account",
        }
    ]


async def test_a_manual_ship_to_is_validated(client: GraphQLClient, session: AsyncSession) -> None:
    token, cart, _ = await arrange(client, session, may_enter_manual_ship_to=True)

    typed = await client.execute(SHIP_TO, ship_to_input(cart, address=MANUAL), token=token)
    bad = await client.execute(
        SHIP_TO, ship_to_input(cart, address=MANUAL | {"name": " ", "country": "AUS"}), token=token
    )

    assert typed["setCartShipTo"] == {
        "cart": {
            "shipTo": {"name": "Site 9", "line1": "9 Quarry Rd", "city": "Geelong", "country": "AU"}
        },
        "errors": [],
    }
    assert bad["setCartShipTo"]["errors"] == [
        {"field": ["address", "name"], "code": "REQUIRED", "message": "name is required"},
        {
            "field": ["address", "country"],
            "code": "INVALID",
            "message": "country must be an ISO 3166-1 alpha-2 code such as AU",
        },
    ]


async def test_details_follow_future_orders_and_cost_centres(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an account with cost centres, and a shopper without 'Allow Future Orders'
    token, cart, account = await arrange(client, session)
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    staff = await client.login("service", PASSWORD)
    await client.execute(
        COST_CENTRES,
        {
            "input": {
                "accountId": gid("Account", account.id),
                "costCentres": [{"code": "MAINT", "name": "Maintenance"}],
            }
        },
        token=staff,
    )
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()

    # when the shopper sets the details, first with a date and an unknown cost centre
    refused = await client.execute(
        DETAILS,
        ship_to_input(cart, poNumber="PO-1", costCentre="OPS", dateRequired=tomorrow),
        token=token,
    )
    accepted = await client.execute(
        DETAILS, ship_to_input(cart, poNumber="PO-1", costCentre="MAINT"), token=token
    )

    # then both refusals are reported at once, and the valid details are kept
    assert refused["setCartDetails"]["errors"] == [
        {
            "field": ["costCentre"],
            "code": "INVALID",
            "message": "OPS is not one of the account's cost centres",
        },
        {
            "field": ["dateRequired"],
            "code": "NOT_PERMITTED",
            "message": "Future orders are not enabled for you at this account",
        },
    ]
    assert accepted["setCartDetails"] == {
        "cart": {"poNumber": "PO-1", "costCentre": "MAINT", "notes": None, "dateRequired": None},
        "errors": [],
    }


async def test_a_future_order_date_cannot_be_in_the_past(
    client: GraphQLClient, session: AsyncSession
) -> None:
    token, cart, _ = await arrange(client, session, allow_future_orders=True)
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()

    data = await client.execute(DETAILS, ship_to_input(cart, dateRequired=yesterday), token=token)

    assert data["setCartDetails"]["errors"] == [
        {
            "field": ["dateRequired"],
            "code": "INVALID",
            "message": "The date required cannot be in the past",
        }
    ]


async def test_cost_centres_are_kept_by_workers_not_by_account_administrators(
    client: GraphQLClient, session: AsyncSession
) -> None:
    account = await make_account(session)
    await make_contact(session, account=account, username="boss", role=MembershipRole.ADMINISTRATOR)

    data = await client.execute(
        COST_CENTRES,
        {"input": {"accountId": gid("Account", account.id), "costCentres": []}},
        token=await client.login("boss", PASSWORD),
    )

    assert data["setCostCentres"]["errors"] == [
        {
            "field": ["accountId"],
            "code": "NOT_PERMITTED",
            "message": "Cost centres are kept by staff and the account's sales rep",
        }
    ]
