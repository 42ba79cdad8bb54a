"""payInvoices (seeds 002 and 003): a contact pays open invoices by saved card or direct
deposit; the invoices, the enquiry and the account owe less, and the ERP gets the payment."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from core.settings import Settings
from domain.enums import ApiKeyScope, RecordSource
from models import Account, Contact, ErpExport, Invoice, InvoicePayment
from tests.api.orders.test_exports import api_key
from tests.factories import (
    PASSWORD,
    make_account,
    make_contact,
    make_credit_card,
    make_invoice,
    make_membership,
    save_settings,
)
from tests.graphql_client import GraphQLClient, gid

PAY = """
mutation Pay($input: PayInvoicesInput!) {
  payInvoices(input: $input) {
    payment {
      id amount paymentType paymentReference paidByContact { name }
      lines { amount invoice { number balance status } }
    }
    bankDetails { accountName bsb accountNumber }
    errors { field code message }
  }
}
"""
ENQUIRY = """
query {
  viewer { activeAccount {
    balance
    balanceSummary { openInvoices }
    invoices(sortBy: {field: NUMBER, direction: ASC}) { nodes { number balance status } }
    invoicePayments { totalCount nodes { amount lines { amount invoice { number } } } }
  } }
}
"""
PENDING = """
query { pendingExports { nodes { id kind account { code }
  payment { amount paymentType lines { amount invoice { number } } } } } }
"""
ACKNOWLEDGE = """
mutation Ack($input: AcknowledgeExportsInput!) {
  acknowledgeExports(input: $input) {
    exports { kind erpKey account { erpKey } } errors { message }
  }
}
"""


async def arrange(client: GraphQLClient, session: AsyncSession) -> dict[str, Any]:
    """ABC1234 owing 350.00 on two invoices (and a paid one), with a saved card; Mary's login."""
    account = await make_account(
        session, code="ABC1234", erp_key="ERP-ABC", balance=Decimal("350.00")
    )
    mary = await make_contact(session, account=account, username="mary", name="Mary")
    first = await make_invoice(
        session,
        account=account,
        number="INV-1",
        amount=Decimal("250.00"),
        balance=Decimal("250.00"),
    )
    second = await make_invoice(
        session,
        account=account,
        number="INV-2",
        amount=Decimal("100.00"),
        balance=Decimal("100.00"),
    )
    paid = await make_invoice(
        session, account=account, number="INV-0", amount=Decimal("80.00"), balance=Decimal("0.00")
    )
    card = await make_credit_card(session, account=account, owner=mary, token="tok_visa_4242")
    return {
        "mary": mary,
        "account": account,
        "first": gid("Invoice", first.id),
        "second": gid("Invoice", second.id),
        "paid": gid("Invoice", paid.id),
        "card": gid("CreditCard", card.id),
        "token": await client.login("mary", PASSWORD),
    }


def card_payment(world: dict[str, Any], *shares: dict[str, Any], **values: Any) -> dict[str, Any]:
    return {
        "input": {
            "invoices": list(shares),
            "paymentType": "CREDIT_CARD",
            "creditCardId": world["card"],
            **values,
        }
    }


async def counts(session: AsyncSession) -> tuple[int, int, list[Decimal], Decimal]:
    payments = await session.scalar(select(func.count()).select_from(InvoicePayment))
    exports = await session.scalar(select(func.count()).select_from(ErpExport))
    balances = list(
        await session.scalars(select(col(Invoice.balance)).order_by(col(Invoice.number)))
    )
    balance = await session.scalar(
        select(col(Account.balance)).where(col(Account.code) == "ABC1234")
    )
    session.expire_all()
    return int(payments or 0), int(exports or 0), balances, Decimal(str(balance))


async def test_a_contact_pays_two_invoices_by_saved_card_and_the_erp_imports_the_payment(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    # given ABC1234 owing 250.00 and 100.00
    world = await arrange(client, session)

    # when Mary pays 100.00 of INV-1 and all of INV-2 with the saved card
    data = await client.execute(
        PAY,
        card_payment(
            world, {"invoiceId": world["first"], "amount": "100.00"}, {"invoiceId": world["second"]}
        ),
        token=world["token"],
    )
    enquiry = await client.execute(ENQUIRY, token=world["token"])
    erp = await api_key(session, settings, ApiKeyScope.SYNC)
    pending = await client.execute(PENDING, token=erp)

    # then the payment records both lines against the card's token
    payload = data["payInvoices"]
    assert payload["errors"] == []
    assert payload["payment"] | {"id": None} == {
        "id": None,
        "amount": "200.00",
        "paymentType": "CREDIT_CARD",
        "paymentReference": "tok_visa_4242",
        "paidByContact": {"name": "Mary"},
        "lines": [
            {
                "amount": "100.00",
                "invoice": {"number": "INV-1", "balance": "150.00", "status": "OPEN"},
            },
            {
                "amount": "100.00",
                "invoice": {"number": "INV-2", "balance": "0.00", "status": "PAID"},
            },
        ],
    }
    # and the enquiry shows what is owed now, and the payment
    account = enquiry["viewer"]["activeAccount"]
    assert account["balance"] == "150.00"
    assert account["balanceSummary"] == {"openInvoices": "150.00"}
    assert [(i["number"], i["balance"]) for i in account["invoices"]["nodes"]] == [
        ("INV-0", "0.00"),
        ("INV-1", "150.00"),
        ("INV-2", "0.00"),
    ]
    assert account["invoicePayments"]["totalCount"] == 1
    # and the ERP is sent the payment like an order
    [export] = pending["pendingExports"]["nodes"]
    assert export["kind"] == "PAYMENT"
    assert export["account"] == {"code": "ABC1234"}
    assert export["payment"] == {
        "amount": "200.00",
        "paymentType": "CREDIT_CARD",
        "lines": [
            {"amount": "100.00", "invoice": {"number": "INV-1"}},
            {"amount": "100.00", "invoice": {"number": "INV-2"}},
        ],
    }

    # when the ERP acknowledges it with its receipt number
    acked = await client.execute(
        ACKNOWLEDGE, {"input": {"ids": [export["id"]], "erpKeys": ["RC-77"]}}, token=erp
    )

    # then the key is the payment's, never the account's
    assert acked["acknowledgeExports"]["exports"] == [
        {"kind": "PAYMENT", "erpKey": "RC-77", "account": {"erpKey": "ERP-ABC"}}
    ]
    assert (await client.execute(PENDING, token=erp))["pendingExports"]["nodes"] == []


async def test_direct_deposit_returns_the_bank_details(
    client: GraphQLClient, session: AsyncSession
) -> None:
    world = await arrange(client, session)
    await save_settings(
        session,
        "direct_deposit",
        account_name="Tradepost Pty Ltd",
        bsb="062-000",
        account_number="1234",
    )

    data = await client.execute(
        PAY,
        {"input": {"invoices": [{"invoiceId": world["second"]}], "paymentType": "DIRECT_DEPOSIT"}},
        token=world["token"],
    )

    assert data["payInvoices"]["errors"] == []
    assert data["payInvoices"]["payment"]["amount"] == "100.00"
    assert data["payInvoices"]["bankDetails"] == {
        "accountName": "Tradepost Pty Ltd",
        "bsb": "062-000",
        "accountNumber": "1234",
    }


NODE = "query($id: ID!) { node(id: $id) { ... on InvoicePayment { amount } } }"


async def test_a_payment_is_fetched_by_id_by_its_payer_and_by_nobody_outside_the_account(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a payment of ABC1234's, and a contact of another account
    world = await arrange(client, session)
    paid = await client.execute(
        PAY,
        {"input": {"invoices": [{"invoiceId": world["second"]}], "paymentType": "DIRECT_DEPOSIT"}},
        token=world["token"],
    )
    payment_id = paid["payInvoices"]["payment"]["id"]
    await make_contact(session, account=await make_account(session, code="C1001"), username="olga")
    stranger = await client.login("olga", PASSWORD)

    # when each asks for it by its global ID
    mine = await client.execute(NODE, {"id": payment_id}, token=world["token"])
    theirs = await client.execute(NODE, {"id": payment_id}, token=stranger)

    # then the payer reads it and the stranger finds nothing
    assert mine == {"node": {"amount": "100.00"}}
    assert theirs == {"node": None}


async def test_bad_payments_are_refused_and_change_nothing(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given ABC1234's invoices, another account's invoice, and an expired card
    world = await arrange(client, session)
    other = await make_account(session, code="C1001")
    theirs = await make_invoice(session, account=other, number="INV-C1")
    expired = await make_credit_card(
        session,
        account=world["account"],
        owner=world["mary"],
        expiry_month=1,
        expiry_year=date.today().year - 1,
    )

    async def errors(variables: dict[str, Any]) -> list[dict[str, Any]]:
        data = await client.execute(PAY, variables, token=world["token"])
        assert data["payInvoices"]["payment"] is None
        found: list[dict[str, Any]] = data["payInvoices"]["errors"]
        return found

    # when Mary overpays, pays someone else's invoice, a paid one, one twice, an expired card,
    # nothing, zero, and on account
    first, second = world["first"], world["second"]
    cases = [
        card_payment(world, {"invoiceId": first, "amount": "250.01"}),
        card_payment(world, {"invoiceId": first}, {"invoiceId": gid("Invoice", theirs.id)}),
        card_payment(world, {"invoiceId": world["paid"]}),
        card_payment(world, {"invoiceId": second}, {"invoiceId": second}),
        card_payment(world, {"invoiceId": first}, creditCardId=gid("CreditCard", expired.id)),
        card_payment(world),
        card_payment(world, {"invoiceId": first, "amount": "0.00"}),
        {"input": {"invoices": [{"invoiceId": first}], "paymentType": "ON_ACCOUNT"}},
        {"input": {"invoices": [{"invoiceId": first}], "paymentType": "CREDIT_CARD"}},
    ]
    before = await counts(session)
    results = [await errors(case) for case in cases]

    # then each is one clear error, and nothing was paid, exported or owed less
    assert results == [
        [
            {
                "field": ["invoices", "0", "amount"],
                "code": "LIMIT_EXCEEDED",
                "message": "250.01 is more than the 250.00 owed on invoice INV-1",
            }
        ],
        [
            {
                "field": ["invoices", "1", "invoiceId"],
                "code": "NOT_FOUND",
                "message": "No such invoice",
            }
        ],
        [
            {
                "field": ["invoices", "0", "invoiceId"],
                "code": "INVALID",
                "message": "Invoice INV-0 is paid",
            }
        ],
        [
            {
                "field": ["invoices", "1", "invoiceId"],
                "code": "DUPLICATE",
                "message": "The invoice is listed twice",
            }
        ],
        [
            {
                "field": ["creditCardId"],
                "code": "INVALID",
                "message": f"The card expired at the end of 01/{date.today().year - 1}",
            }
        ],
        [{"field": ["invoices"], "code": "REQUIRED", "message": "Name the invoices to pay"}],
        [
            {
                "field": ["invoices", "0", "amount"],
                "code": "INVALID",
                "message": "amount must be at least 0.01",
            }
        ],
        [
            {
                "field": ["paymentType"],
                "code": "INVALID",
                "message": "Invoices are paid by CREDIT_CARD or DIRECT_DEPOSIT",
            }
        ],
        [
            {
                "field": ["creditCardId"],
                "code": "REQUIRED",
                "message": "Choose the saved card to pay with",
            }
        ],
    ]
    assert await counts(session) == before


async def test_two_payments_of_one_invoice_at_once_pay_it_once(
    client: GraphQLClient, session: AsyncSession
) -> None:
    world = await arrange(client, session)
    variables = card_payment(world, {"invoiceId": world["second"]})

    results = await asyncio.gather(
        *(client.execute(PAY, variables, token=world["token"]) for _ in range(2))
    )

    errors = sorted((r["payInvoices"]["errors"] for r in results), key=len)
    assert errors == [
        [],
        [
            {
                "field": ["invoices", "0", "invoiceId"],
                "code": "INVALID",
                "message": "Invoice INV-2 is paid",
            }
        ],
    ]
    payments, exports, balances, balance = await counts(session)
    assert (payments, exports, balances, balance) == (
        1,
        1,
        [Decimal("0.00"), Decimal("250.00"), Decimal("0.00")],
        Decimal("250.00"),
    )


async def test_the_same_idempotency_key_returns_the_first_payment(
    client: GraphQLClient, session: AsyncSession
) -> None:
    world = await arrange(client, session)
    variables = card_payment(
        world, {"invoiceId": world["first"], "amount": "50.00"}, idempotencyKey="pay-1"
    )

    first = await client.execute(PAY, variables, token=world["token"])
    again = await client.execute(PAY, variables, token=world["token"])
    other = await client.execute(
        PAY,
        card_payment(
            world, {"invoiceId": world["first"], "amount": "60.00"}, idempotencyKey="pay-1"
        ),
        token=world["token"],
    )

    assert first["payInvoices"]["errors"] == again["payInvoices"]["errors"] == []
    assert again["payInvoices"]["payment"]["id"] == first["payInvoices"]["payment"]["id"]
    assert other["payInvoices"]["errors"] == [
        {
            "field": ["idempotencyKey"],
            "code": "INVALID",
            "message": "This idempotency key was used for a different payment",
        }
    ]
    payments, exports, balances, _ = await counts(session)
    assert (payments, exports, balances[1]) == (1, 1, Decimal("200.00"))


async def test_a_contact_pays_only_its_active_accounts_invoices(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Mary, active at ABC1234, who also belongs to C1001 with an open invoice there
    world = await arrange(client, session)
    other = await make_account(session, code="C1001", source=RecordSource.ERP)
    theirs = await make_invoice(session, account=other, number="INV-C1")
    mary = await session.scalar(select(Contact).where(col(Contact.username) == "mary"))
    assert mary is not None
    await make_membership(session, contact=mary, account=other)

    data = await client.execute(
        PAY, card_payment(world, {"invoiceId": gid("Invoice", theirs.id)}), token=world["token"]
    )

    assert data["payInvoices"]["errors"] == [
        {"field": ["invoices", "0", "invoiceId"], "code": "NOT_FOUND", "message": "No such invoice"}
    ]
