"""Account enquiry: invoices and ERP records with date and status filters and sorting, and the
balance summary with its ageing buckets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from domain.enquiry import EnquiryKind, EnquiryStatus
from domain.enums import PaymentTermsKind, WorkerRole
from tests.conftest import StatementCounter
from tests.factories import (
    PASSWORD,
    make_account,
    make_contact,
    make_enquiry_record,
    make_invoice,
    make_membership,
    make_worker,
)
from tests.graphql_client import GraphQLClient, gid

TODAY = datetime.now(UTC).date()

INVOICES = """
query Invoices($code: String!, $filter: InvoiceFilter, $sortBy: InvoiceSortBy) {
  account(code: $code) {
    invoices(filter: $filter, sortBy: $sortBy) {
      totalCount
      nodes { number status balance dueDate }
    }
  }
}
"""
RECORDS = """
query Records($code: String!, $kind: EnquiryKind!, $filter: EnquiryFilter, $sortBy: EnquirySortBy) {
  account(code: $code) {
    enquiryRecords(kind: $kind, filter: $filter, sortBy: $sortBy) {
      nodes { number kind status amount outstanding }
    }
  }
}
"""
SUMMARY = """
query Summary($code: String!) {
  account(code: $code) {
    balanceSummary {
      balance openInvoices notYetDue overdue days0To30 days31To60 days61To90 over90Days
    }
  }
}
"""


def days_ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


async def test_invoices_filter_by_date_range_and_status_and_sort(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a paid, an overdue and an open invoice of the contact's account
    account = await make_account(session, code="E1")
    await make_contact(session, account=account, username="mary")
    for number, dated, due, balance in (
        ("INV1", 60, 30, "0.00"),
        ("INV2", 50, 20, "40.00"),
        ("INV3", 10, -20, "25.00"),
    ):
        await make_invoice(
            session,
            account=account,
            number=number,
            invoice_date=TODAY - timedelta(days=dated),
            due_date=TODAY - timedelta(days=due),
            balance=Decimal(balance),
        )
    token = await client.login("mary", PASSWORD)

    # when
    everything = await client.execute(INVOICES, {"code": "E1"}, token=token)
    owing = await client.execute(
        INVOICES,
        {"code": "E1", "filter": {"status": ["OPEN", "OVERDUE"]}, "sortBy": {"field": "BALANCE"}},
        token=token,
    )
    by_date = await client.execute(
        INVOICES,
        {"code": "E1", "filter": {"invoiceDate": {"start": days_ago(55), "end": days_ago(10)}}},
        token=token,
    )

    # then the newest come first unless told otherwise
    assert everything["account"]["invoices"] == {
        "totalCount": 3,
        "nodes": [
            {"number": "INV3", "status": "OPEN", "balance": "25.00", "dueDate": days_ago(-20)},
            {"number": "INV2", "status": "OVERDUE", "balance": "40.00", "dueDate": days_ago(20)},
            {"number": "INV1", "status": "PAID", "balance": "0.00", "dueDate": days_ago(30)},
        ],
    }
    assert [n["number"] for n in owing["account"]["invoices"]["nodes"]] == ["INV2", "INV3"]
    assert [n["number"] for n in by_date["account"]["invoices"]["nodes"]] == ["INV3", "INV2"]


async def test_enquiry_records_of_one_kind_filtered_by_status_and_sorted(
    client: GraphQLClient, session: AsyncSession
) -> None:
    account = await make_account(session, code="E1")
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    await make_enquiry_record(
        session, account=account, kind=EnquiryKind.SALES_ORDER, number="SO2", amount=Decimal("5")
    )
    await make_enquiry_record(
        session, account=account, kind=EnquiryKind.SALES_ORDER, number="SO1", amount=Decimal("9")
    )
    await make_enquiry_record(
        session,
        account=account,
        kind=EnquiryKind.SALES_ORDER,
        number="SO3",
        status=EnquiryStatus.CLOSED,
    )
    await make_enquiry_record(session, account=account, kind=EnquiryKind.PAYMENT, number="PAY1")
    token = await client.login("service", PASSWORD)

    data = await client.execute(
        RECORDS,
        {
            "code": "E1",
            "kind": "SALES_ORDER",
            "filter": {"status": ["OPEN"]},
            "sortBy": {"field": "NUMBER", "direction": "ASC"},
        },
        token=token,
    )

    assert data["account"]["enquiryRecords"]["nodes"] == [
        {
            "number": "SO1",
            "kind": "SALES_ORDER",
            "status": "OPEN",
            "amount": "9.00",
            "outstanding": "0.00",
        },
        {
            "number": "SO2",
            "kind": "SALES_ORDER",
            "status": "OPEN",
            "amount": "5.00",
            "outstanding": "0.00",
        },
    ]


async def test_a_contact_enquires_only_on_its_active_account(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a contact of two accounts, acting for the first
    first = await make_account(session, code="E1")
    second = await make_account(session, code="E2")
    contact = await make_contact(session, account=first, username="mary")
    await make_membership(session, contact=contact, account=second)
    await make_invoice(session, account=second, number="INV9")
    token = await client.login("mary", PASSWORD)

    # when it looks at the other account, then switches to it
    before = await client.execute(INVOICES, {"code": "E2"}, token=token)
    await client.execute(
        "mutation($id: ID!) { switchAccount(input: {accountId: $id}) { errors { code } } }",
        {"id": gid("Account", second.id)},
        token=token,
    )
    after = await client.execute(INVOICES, {"code": "E2"}, token=token)

    # then
    assert before == {"account": {"invoices": None}}
    assert [n["number"] for n in after["account"]["invoices"]["nodes"]] == ["INV9"]


async def test_balance_summary_ages_open_invoices_by_payment_terms(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given 30-day terms and invoices without an ERP due date
    account = await make_account(
        session,
        code="E1",
        balance=Decimal("345.00"),
        payment_terms_kind=PaymentTermsKind.GIVEN_NUMBER_OF_DAYS,
        payment_terms_value=30,
    )
    await make_contact(session, account=account, username="mary")
    for dated, balance in ((10, "100.00"), (45, "20.00"), (75, "5.00"), (100, "200.00")):
        await make_invoice(
            session,
            account=account,
            invoice_date=TODAY - timedelta(days=dated),
            balance=Decimal(balance),
        )
    await make_invoice(session, account=account, balance=Decimal("0"))
    token = await client.login("mary", PASSWORD)

    data = await client.execute(SUMMARY, {"code": "E1"}, token=token)

    assert data["account"]["balanceSummary"] == {
        "balance": "345.00",
        "openInvoices": "325.00",
        "notYetDue": "100.00",
        "overdue": "225.00",
        "days0To30": "20.00",
        "days31To60": "5.00",
        "days61To90": "200.00",
        "over90Days": "0.00",
    }


async def test_balance_summaries_of_a_page_of_accounts_cost_the_same_sql_for_any_page_size(
    client: GraphQLClient, session: AsyncSession, sql_counter: StatementCounter
) -> None:
    # given accounts with open and paid invoices, and staff
    for n in range(6):
        account = await make_account(session, code=f"P{n}")
        await make_invoice(session, account=account)
        await make_invoice(session, account=account, balance=Decimal("0"))
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    token = await client.login("service", PASSWORD)
    query = (
        "query($first: Int) { accounts(first: $first) { nodes { balanceSummary { overdue } } } }"
    )

    # when asking for pages of 2 and of 6
    counts = []
    for size in (2, 6):
        sql_counter.reset()
        data = await client.execute(query, {"first": size}, token=token)
        assert len(data["accounts"]["nodes"]) == size
        counts.append(sql_counter.count)

    # then (authentication, the page, its open invoices in one batch)
    assert counts[0] == counts[1]


async def test_an_invoice_page_costs_the_same_sql_for_any_page_size(
    client: GraphQLClient, session: AsyncSession, sql_counter: StatementCounter
) -> None:
    account = await make_account(session, code="E1")
    for _ in range(8):
        await make_invoice(session, account=account)
    await make_contact(session, account=account, username="mary")
    token = await client.login("mary", PASSWORD)
    query = """
    query($first: Int) {
      account(code: "E1") { invoices(first: $first) { totalCount nodes { number status } } }
    }
    """

    counts = []
    for size in (2, 8):
        sql_counter.reset()
        data = await client.execute(query, {"first": size}, token=token)
        assert len(data["account"]["invoices"]["nodes"]) == size
        counts.append(sql_counter.count)

    assert counts[0] == counts[1]
