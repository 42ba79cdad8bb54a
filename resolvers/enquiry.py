"""Account enquiry: the ERP's invoices and other records of an account, filtered and sorted, and
the ageing of what it owes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from sqlalchemy import Select, and_, or_, select, true
from sqlmodel import col

from core.context import Context
from domain.access import can_view_enquiry
from domain.enquiry import EnquiryKind, EnquiryStatus, InvoiceStatus
from domain.terms import Ageing, OpenItem, age_open_items
from loaders.enquiry import (
    EnquiryRecordByIdLoader,
    InvoiceByIdLoader,
    OpenInvoicesByAccountIdLoader,
)
from models import Account, EnquiryRecord, Invoice
from resolvers.access import readable_account


class InvoiceSortField(Enum):
    INVOICE_DATE = "INVOICE_DATE"
    DUE_DATE = "DUE_DATE"
    NUMBER = "NUMBER"
    AMOUNT = "AMOUNT"
    BALANCE = "BALANCE"


class EnquirySortField(Enum):
    DOCUMENT_DATE = "DOCUMENT_DATE"
    NUMBER = "NUMBER"
    AMOUNT = "AMOUNT"


_INVOICE_SORT = {
    InvoiceSortField.INVOICE_DATE: col(Invoice.invoice_date),
    InvoiceSortField.DUE_DATE: col(Invoice.due_date),
    InvoiceSortField.NUMBER: col(Invoice.number),
    InvoiceSortField.AMOUNT: col(Invoice.amount),
    InvoiceSortField.BALANCE: col(Invoice.balance),
}
_ENQUIRY_SORT = {
    EnquirySortField.DOCUMENT_DATE: col(EnquiryRecord.document_date),
    EnquirySortField.NUMBER: col(EnquiryRecord.number),
    EnquirySortField.AMOUNT: col(EnquiryRecord.amount),
}


@dataclass(frozen=True)
class DateRange:
    """Inclusive on both ends; either end may be open."""

    start: date | None = None
    end: date | None = None

    def condition(self, column: Any) -> Any:
        parts = []
        if self.start is not None:
            parts.append(column >= self.start)
        if self.end is not None:
            parts.append(column <= self.end)
        return and_(true(), *parts)


@dataclass(frozen=True)
class InvoiceQuery:
    dates: DateRange = DateRange()
    statuses: frozenset[InvoiceStatus] = frozenset()
    sort_field: InvoiceSortField = InvoiceSortField.INVOICE_DATE
    descending: bool = True


@dataclass(frozen=True)
class EnquiryQuery:
    kind: EnquiryKind
    dates: DateRange = DateRange()
    statuses: frozenset[EnquiryStatus] = frozenset()
    sort_field: EnquirySortField = EnquirySortField.DOCUMENT_DATE
    descending: bool = True


def may_enquire(context: Context, account_id: int) -> bool:
    """The account is already known to be readable; see `domain.access.can_view_enquiry`."""
    return can_view_enquiry(context.viewer, account_id=account_id)


async def _enquirable(context: Context, account_id: int) -> bool:
    return await readable_account(context, account_id) is not None and may_enquire(
        context, account_id
    )


async def readable_invoice(context: Context, invoice_id: int) -> Invoice | None:
    """An invoice where `Account.invoices` would show it; None elsewhere, like a missing one."""
    invoice: Invoice | None = await context.loader(InvoiceByIdLoader).load(invoice_id)
    return (
        invoice if invoice is not None and await _enquirable(context, invoice.account_id) else None
    )


async def readable_enquiry_record(context: Context, record_id: int) -> EnquiryRecord | None:
    """A record where `Account.enquiryRecords` would show it; None elsewhere."""
    record: EnquiryRecord | None = await context.loader(EnquiryRecordByIdLoader).load(record_id)
    return record if record is not None and await _enquirable(context, record.account_id) else None


def _ordered(statement: Select[Any], column: Any, id_column: Any, descending: bool) -> Select[Any]:
    if descending:
        return statement.order_by(column.desc(), id_column.desc())
    return statement.order_by(column.asc(), id_column.asc())


def invoices_statement(account_id: int, query: InvoiceQuery, *, today: date) -> Select[Any]:
    """The account's invoices matching `query`; the status follows `domain.enquiry
    .invoice_status` (the stored due date is the ERP's or, when it gave none, the terms')."""
    statement = select(Invoice).where(
        col(Invoice.account_id) == account_id, query.dates.condition(col(Invoice.invoice_date))
    )
    if query.statuses:
        owing = col(Invoice.balance) != 0
        late = and_(col(Invoice.due_date).is_not(None), col(Invoice.due_date) < today)
        conditions = {
            InvoiceStatus.PAID: col(Invoice.balance) == 0,
            InvoiceStatus.OVERDUE: and_(owing, late),
            InvoiceStatus.OPEN: and_(
                owing, or_(col(Invoice.due_date).is_(None), col(Invoice.due_date) >= today)
            ),
        }
        statement = statement.where(or_(*(conditions[s] for s in query.statuses)))
    return _ordered(statement, _INVOICE_SORT[query.sort_field], col(Invoice.id), query.descending)


def enquiry_statement(account_id: int, query: EnquiryQuery) -> Select[Any]:
    statement = select(EnquiryRecord).where(
        col(EnquiryRecord.account_id) == account_id,
        col(EnquiryRecord.kind) == query.kind,
        query.dates.condition(col(EnquiryRecord.document_date)),
    )
    if query.statuses:
        statement = statement.where(col(EnquiryRecord.status).in_(query.statuses))
    return _ordered(
        statement, _ENQUIRY_SORT[query.sort_field], col(EnquiryRecord.id), query.descending
    )


async def ageing(context: Context, account: Account) -> Ageing:
    assert account.id is not None
    invoices = await context.loader(OpenInvoicesByAccountIdLoader).load(account.id)
    return age_open_items(
        items=[OpenItem(i.invoice_date, i.due_date, i.balance) for i in invoices],
        kind=account.payment_terms_kind,
        value=account.payment_terms_value,
        today=context.now.date(),
    )
