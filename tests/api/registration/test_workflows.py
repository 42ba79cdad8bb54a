"""Seed 001's typical workflows end to end, from the first request to the final login."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import MembershipRole, WorkerRole
from domain.registration import CUSTOMER_DATA_SECTION
from domain.system_email import SYSTEM_EMAILS_SECTION
from tests.api.registration.operations import (
    LOGIN,
    MOVE_CONTACT,
    REGISTER_ACCOUNT,
    REGISTER_CONTACT,
    SET_ACCOUNT_ACTIVE,
    VERIFY_ACCOUNT,
    registration,
)
from tests.factories import (
    PASSWORD,
    make_account,
    make_address,
    make_contact,
    make_invoice,
    make_location,
    make_product,
    make_worker,
    save_settings,
)
from tests.graphql_client import GraphQLClient, gid
from tests.smtp import ReceivedMail

FIND_CONTACT = """
query Find($search: String!) {
  contacts(filter: {search: $search}) {
    nodes { id username isEnabled memberships { nodes { account { id code } } } }
  }
}
"""
CREATE_ACCOUNT = """
mutation Create($input: CreateAccountInput!) {
  createAccount(input: $input) { account { id code } errors { code } }
}
"""
UPDATE_CONTACT = """
mutation Enable($input: UpdateContactInput!) {
  updateContact(input: $input) { contact { isEnabled } errors { code } }
}
"""
VIEWER = "query { viewer { contact { username } activeAccount { code isActive } } }"


async def test_standard_a_visitor_registers_and_orders_at_once(
    client: GraphQLClient,
    session: AsyncSession,
    send_mail: Callable[[], Awaitable[list[ReceivedMail]]],
) -> None:
    # given new accounts with immediate access
    await save_settings(
        session, CUSTOMER_DATA_SECTION, allow_new_accounts=True, immediate_access=True
    )

    # when a visitor registers
    data = await client.execute(REGISTER_ACCOUNT, {"input": registration()})

    # then the account is active, exported with its first order, and the visitor is logged in
    payload = data["registerAccount"]
    assert payload["errors"] == []
    assert payload["awaitingApproval"] is False
    account = payload["account"]
    assert account["code"].startswith("W")
    assert (account["isActive"], account["source"], account["awaitingErpExport"]) == (
        True,
        "WEB",
        True,
    )
    assert payload["viewer"]["activeAccount"] == {"code": account["code"]}
    me = await client.execute(VIEWER, token=payload["token"])
    assert me["viewer"]["contact"] == {"username": "linh"}
    # and logs in again later with the chosen password, and got a welcome e-mail
    again = await client.execute(
        LOGIN, {"input": {"username": "linh", "password": "cabinets-and-joinery"}}
    )
    assert again["login"]["errors"] == []
    mails = await send_mail()
    assert [(m.subject, m.recipients) for m in mails] == [
        ("Welcome to our store", ["linh@nguyen-cabinets.example"])
    ]


REGISTERED_ACCOUNT = """
query { viewer { activeAccount {
  paymentTypes priceLevel customerGroups paymentTermsKind paymentTermsValue
  locations { isPrimary location { code } }
} } }
"""
CREATE_CART = "mutation { createCart(input: {}) { cart { id } errors { code message } } }"
ADD_LINES = """
mutation Add($input: AddCartLinesInput!) {
  addCartLines(input: $input) { cart { total } errors { field code message } }
}
"""
CHECKOUT = """
mutation Checkout($input: CheckoutCartInput!) {
  checkoutCart(input: $input) {
    order { status total shipFrom { code } paymentType }
    errors { field code message }
  }
}
"""


async def test_a_registered_account_takes_the_web_defaults_and_checks_out_at_once(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given account creation with the web defaults: level B, 30 days, a group, Sydney; the
    # payment types left at theirs (by card)
    sydney = await make_location(session, code="SYD")
    product = await make_product(session, level_prices={"A": "9.00", "B": "7.50"})
    await session.commit()
    await save_settings(
        session,
        CUSTOMER_DATA_SECTION,
        allow_new_accounts=True,
        immediate_access=True,
        default_price_level="B",
        default_payment_terms_kind="GIVEN_NUMBER_OF_DAYS",
        default_payment_terms_value=30,
        default_customer_groups=["RETAIL"],
        default_location_code=sydney.code,
    )

    # when a visitor registers and checks out with the session it got
    registered = await client.execute(REGISTER_ACCOUNT, {"input": registration()})
    token = registered["registerAccount"]["token"]
    account = await client.execute(REGISTERED_ACCOUNT, token=token)
    cart = (await client.execute(CREATE_CART, token=token))["createCart"]["cart"]
    added = await client.execute(
        ADD_LINES,
        {
            "input": {
                "cartId": cart["id"],
                "lines": [{"productId": gid("Product", product.id), "quantity": 2}],
            }
        },
        token=token,
    )
    ordered = await client.execute(
        CHECKOUT,
        {
            "input": {
                "cartId": cart["id"],
                "paymentType": "CREDIT_CARD",
                "paymentReference": "auth-1",
            }
        },
        token=token,
    )

    # then the account has every default and the order is placed from Sydney
    assert account["viewer"]["activeAccount"] == {
        "paymentTypes": ["CREDIT_CARD"],
        "priceLevel": "B",
        "customerGroups": ["RETAIL"],
        "paymentTermsKind": "GIVEN_NUMBER_OF_DAYS",
        "paymentTermsValue": 30,
        "locations": [{"isPrimary": True, "location": {"code": "SYD"}}],
    }
    assert added["addCartLines"] == {"cart": {"total": "15.00"}, "errors": []}
    assert ordered["checkoutCart"] == {
        "order": {
            "status": "PLACED",
            "total": "15.00",
            "shipFrom": {"code": "SYD"},
            "paymentType": "CREDIT_CARD",
        },
        "errors": [],
    }


async def _register_pending(client: GraphQLClient, session: AsyncSession) -> str:
    """Seed 001 web approval steps 1-2: accounts are created disabled, the request e-mail is
    copied to sales."""
    await save_settings(
        session, CUSTOMER_DATA_SECTION, allow_new_accounts=True, immediate_access=False
    )
    await save_settings(
        session,
        SYSTEM_EMAILS_SECTION,
        new_account_request={
            "subject": "New account request from $company_name",
            "body": "Username $username asked for account $account_number.",
            "cc": ["sales@tradepost.example"],
        },
    )
    data = await client.execute(REGISTER_ACCOUNT, {"input": registration()})
    payload = data["registerAccount"]
    assert payload["errors"] == []
    assert (payload["token"], payload["awaitingApproval"]) == (None, True)
    assert payload["account"]["isActive"] is False
    refused = await client.execute(
        LOGIN, {"input": {"username": "linh", "password": "cabinets-and-joinery"}}
    )
    assert [e["code"] for e in refused["login"]["errors"]] == ["NOT_PERMITTED"]
    code: str = payload["account"]["code"]
    return code


async def test_web_approval_a_worker_enables_the_account_and_its_contact(
    client: GraphQLClient,
    session: AsyncSession,
    send_mail: Callable[[], Awaitable[list[ReceivedMail]]],
) -> None:
    # given a pending registration, and the request e-mail that reached sales
    code = await _register_pending(client, session)
    mails = await send_mail()
    assert [(m.subject, m.recipients, m.message["Cc"]) for m in mails] == [
        (
            "New account request from Nguyen Cabinets",
            ["linh@nguyen-cabinets.example", "sales@tradepost.example"],
            "sales@tradepost.example",
        )
    ]
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    worker = await client.login("service", PASSWORD)

    # when the worker finds the contact by the username in the e-mail and enables its account
    found = await client.execute(FIND_CONTACT, {"search": "linh"}, token=worker)
    contact = found["contacts"]["nodes"][0]
    assert contact["isEnabled"] is False
    account_id = contact["memberships"]["nodes"][0]["account"]["id"]
    enabled = await client.execute(
        SET_ACCOUNT_ACTIVE, {"input": {"id": account_id, "isActive": True}}, token=worker
    )

    # then the account and its contact are enabled, and the visitor logs in
    assert enabled["setAccountActive"] == {
        "account": {
            "code": code,
            "isActive": True,
            "awaitingApproval": False,
            "contacts": {"nodes": [{"username": "linh", "isEnabled": True}]},
        },
        "errors": [],
    }
    token = await client.login("linh", "cabinets-and-joinery")
    me = await client.execute(VIEWER, token=token)
    assert me["viewer"]["activeAccount"] == {"code": code, "isActive": True}


async def test_web_approval_with_manual_erp_account(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a pending registration
    web_code = await _register_pending(client, session)
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    worker = await client.login("service", PASSWORD)

    # when the ERP's own customer arrives and the worker maps the contact to it, and enables it
    erp = await client.execute(
        CREATE_ACCOUNT,
        {"input": {"code": "NGU001", "companyName": "Nguyen Cabinets Pty Ltd"}},
        token=worker,
    )
    found = await client.execute(FIND_CONTACT, {"search": "linh"}, token=worker)
    contact_id = found["contacts"]["nodes"][0]["id"]
    moved = await client.execute(
        MOVE_CONTACT,
        {"input": {"contactId": contact_id, "accountId": erp["createAccount"]["account"]["id"]}},
        token=worker,
    )
    await client.execute(
        UPDATE_CONTACT, {"input": {"id": contact_id, "isEnabled": True}}, token=worker
    )

    # then the contact administers the ERP account and logs in to it; the web account is unused
    assert moved["moveContact"] == {
        "membership": {
            "role": "ADMINISTRATOR",
            "isDefault": True,
            "account": {"code": "NGU001"},
            "contact": {"username": "linh"},
        },
        "errors": [],
    }
    token = await client.login("linh", "cabinets-and-joinery")
    me = await client.execute(VIEWER, token=token)
    assert me["viewer"]["activeAccount"] == {"code": "NGU001", "isActive": True}
    assert web_code != "NGU001"


async def test_new_contact_for_an_existing_account(
    client: GraphQLClient,
    session: AsyncSession,
    send_mail: Callable[[], Awaitable[list[ReceivedMail]]],
) -> None:
    # given an ERP account with an administrator, a billing address and a recent invoice
    await save_settings(
        session, CUSTOMER_DATA_SECTION, allow_new_contacts=True, immediate_access=True
    )
    account = await make_account(session, code="ABC1234", company_name="ABC Industrial")
    await make_address(
        session, account=account, line1="1 Main Street", postcode="2000", is_primary=True
    )
    await make_invoice(session, account=account, number="INV-1001", invoice_date=date.today())
    await make_contact(
        session,
        account=account,
        role=MembershipRole.ADMINISTRATOR,
        email="alice@abc.example",
        username="alice",
    )

    # when a visitor verifies the account, checks what it is shown, and creates a login
    verified = await client.execute(
        VERIFY_ACCOUNT,
        {
            "input": {
                "accountNumber": "abc1234",
                "billingPostcode": " 2000 ",
                "invoiceNumber": "INV-1001",
            }
        },
    )
    ticket = verified["verifyAccount"]["ticket"]
    created = await client.execute(
        REGISTER_CONTACT,
        {
            "input": {
                "ticket": ticket,
                "name": "Sam Buyer",
                "email": "sam@abc.example",
                "username": "sam.buyer",
                "password": "a-long-enough-secret",
            }
        },
    )

    # then it saw the masked account, is now a logged-in shopper of it, and logs in again later
    assert verified["verifyAccount"]["account"] == {
        "accountNumber": "ABC1234",
        "companyName": "ABC Industrial",
        "maskedStreet": "1 M*** S*****",
        "city": "Sydney",
        "region": "NSW",
        "postcode": "2000",
    }
    payload = created["registerContact"]
    assert payload["errors"] == []
    assert payload["viewer"] == {
        "contact": {"username": "sam.buyer"},
        "activeAccount": {"code": "ABC1234"},
        "memberships": {"nodes": [{"role": "SHOPPER"}]},
    }
    assert await client.login("sam.buyer", "a-long-enough-secret")
    mails = await send_mail()
    assert sorted((m.recipients[0], m.subject) for m in mails) == [
        ("alice@abc.example", "Someone verified your account ABC1234"),
        ("sam@abc.example", "Your login for ABC Industrial"),
    ]
