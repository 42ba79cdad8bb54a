"""Seed 000 "Addresses - shipping addresses that have been used on orders from this account":
a ship-to typed in at checkout joins the account's addresses as a web address, unless the
account's data is kept by the ERP; the account then travels to the ERP with the order."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from domain.enums import ApiKeyScope, PaymentType, RecordSource
from models import Account, Contact
from resolvers.erp_settings import ERP_SECTION
from tests.api.orders.test_exports import api_key
from tests.factories import (
    PASSWORD,
    make_account,
    make_address,
    make_cart,
    make_contact,
    make_product,
    save_settings,
)
from tests.graphql_client import GraphQLClient, gid

SHIP_TO = """
mutation ShipTo($input: SetCartShipToInput!) {
  setCartShipTo(input: $input) { errors { field code message } }
}
"""
CHECKOUT = """
mutation Checkout($input: CheckoutCartInput!) {
  checkoutCart(input: $input) { order { shipTo { line1 city } } errors { field code message } }
}
"""
ADDRESSES = """
query Addresses($code: String!) {
  account(code: $code) { addresses { nodes { kind line1 city postcode source isPrimary } } }
}
"""
PENDING = "query { pendingExports { nodes { kind account { code } } } }"
SITE_4 = {
    "name": "ABC Site 4",
    "line1": "4 Quarry Road",
    "city": "Penrith",
    "region": "NSW",
    "postcode": "2750",
}
SYNCED = datetime(2026, 11, 1, tzinfo=UTC)


async def erp_account(session: AsyncSession) -> Account:
    """An account the ERP created and last synced on 1 November, with its billing address."""
    account = await make_account(
        session,
        code="ABC1234",
        source=RecordSource.ERP,
        payment_types=[PaymentType.ON_ACCOUNT.value],
        created_at=SYNCED,
        updated_at=SYNCED,
        last_synced_at=SYNCED,
    )
    await make_address(
        session, account=account, line1="1 Main Street", is_primary=True, source=RecordSource.ERP
    )
    return account


async def order_to(
    client: GraphQLClient,
    session: AsyncSession,
    account: Account,
    shopper: Contact,
    address: dict[str, Any],
) -> dict[str, Any]:
    """The shopper orders a cart shipped to the `address` it types in."""
    token = await client.login("shopper", PASSWORD)
    product = await make_product(session, level_prices={"A": "10.00"})
    cart = await make_cart(session, account=account, contact=shopper, lines=[(product, 1, "10.00")])
    cart_id = gid("Cart", cart.id)
    typed = await client.execute(
        SHIP_TO, {"input": {"cartId": cart_id, "address": address}}, token=token
    )
    assert typed["setCartShipTo"]["errors"] == []
    data = await client.execute(
        CHECKOUT, {"input": {"cartId": cart_id, "paymentType": "ON_ACCOUNT"}}, token=token
    )
    assert data["checkoutCart"]["errors"] == []
    order: dict[str, Any] = data["checkoutCart"]["order"]
    return order


async def shopper_of(session: AsyncSession, account: Account) -> Contact:
    return await make_contact(
        session,
        account=account,
        username="shopper",
        membership={"may_enter_manual_ship_to": True},
    )


async def test_a_typed_in_ship_to_joins_the_accounts_addresses_once_and_goes_to_the_erp(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    # given an ERP account whose shopper may type in a ship-to
    account = await erp_account(session)
    shopper = await shopper_of(session, account)
    staff = await api_key(session, settings, ApiKeyScope.SYNC)

    # when the shopper orders to Site 4 twice (typed differently the second time)
    first = await order_to(client, session, account, shopper, SITE_4)
    await order_to(
        client,
        session,
        account,
        shopper,
        {**SITE_4, "line1": "4  QUARRY road", "city": "penrith"},
    )
    addresses = await client.execute(ADDRESSES, {"code": "ABC1234"}, token=staff)
    pending = await client.execute(PENDING, token=staff)

    # then the order ships there, the account has Site 4 once as a web shipping address, and
    # the account travels to the ERP with the first order (its address book changed) only
    assert first["shipTo"] == {"line1": "4 Quarry Road", "city": "Penrith"}
    assert sorted(
        (a["kind"], a["line1"], a["postcode"], a["source"], a["isPrimary"])
        for a in addresses["account"]["addresses"]["nodes"]
    ) == [
        ("BILLING", "1 Main Street", "2000", "ERP", True),
        ("SHIPPING", "4 Quarry Road", "2750", "WEB", False),
    ]
    assert [n["kind"] for n in pending["pendingExports"]["nodes"]] == ["ACCOUNT", "ORDER", "ORDER"]


async def test_an_account_kept_by_the_erp_ships_there_without_keeping_the_address(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    # given editing restricted to the ERP, and an ERP account
    await save_settings(session, ERP_SECTION, restrict_account_editing_to_erp=True)
    account = await erp_account(session)
    shopper = await shopper_of(session, account)
    staff = await api_key(session, settings, ApiKeyScope.SYNC)

    # when the shopper orders to a typed-in address
    order = await order_to(client, session, account, shopper, SITE_4)
    addresses = await client.execute(ADDRESSES, {"code": "ABC1234"}, token=staff)
    pending = await client.execute(PENDING, token=staff)

    # then the order ships there, but the ERP's address book is left alone
    assert order["shipTo"] == {"line1": "4 Quarry Road", "city": "Penrith"}
    assert [a["line1"] for a in addresses["account"]["addresses"]["nodes"]] == ["1 Main Street"]
    assert [n["kind"] for n in pending["pendingExports"]["nodes"]] == ["ORDER"]


async def test_the_accounts_own_address_typed_in_is_not_added_again(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    account = await erp_account(session)
    shopper = await shopper_of(session, account)
    staff = await api_key(session, settings, ApiKeyScope.SYNC)

    await order_to(
        client,
        session,
        account,
        shopper,
        {
            "name": account.company_name,
            "line1": "1 main street",
            "city": "SYDNEY",
            "region": "NSW",
            "postcode": "2000",
        },
    )

    addresses = await client.execute(ADDRESSES, {"code": "ABC1234"}, token=staff)
    assert [a["line1"] for a in addresses["account"]["addresses"]["nodes"]] == ["1 Main Street"]
