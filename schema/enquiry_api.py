"""Account enquiry fields of `Account` (attached in `schema.customer_types`): the ERP's records
of an account, for the viewer's active account (contacts) or any readable one (workers)."""

from __future__ import annotations

from typing import Any

from domain.enquiry import EnquiryKind
from resolvers import enquiry
from resolvers.enquiry import EnquiryQuery, InvoiceQuery
from schema.enquiry_inputs import EnquiryFilter, EnquirySortBy, InvoiceFilter, InvoiceSortBy
from schema.enquiry_types import BalanceSummary, EnquiryRecord, Invoice
from schema.info import Info
from schema.relay import Connection, PageRequest, SortDirection, paged, paginate

# The fields below resolve on an `Account` object (`root`); it is already readable by the viewer.


@paged
async def invoices(
    root: Any,
    info: Info,
    page: PageRequest,
    filter: InvoiceFilter | None = None,
    sort_by: InvoiceSortBy | None = None,
) -> Connection[Invoice] | None:
    """ERP invoices; null for a contact's account other than its active one."""
    if not enquiry.may_enquire(info.context, root.db_id):
        return None
    filter = filter or InvoiceFilter()
    sort_by = sort_by or InvoiceSortBy()
    query = InvoiceQuery(
        dates=filter.invoice_date.to_range() if filter.invoice_date else enquiry.DateRange(),
        statuses=frozenset(filter.status or ()),
        sort_field=sort_by.field,
        descending=sort_by.direction is SortDirection.DESC,
    )
    return await paginate(
        info,
        enquiry.invoices_statement(root.db_id, query, today=info.context.now.date()),
        page,
        Invoice.from_row,
    )


@paged
async def enquiry_records(
    root: Any,
    info: Info,
    page: PageRequest,
    kind: EnquiryKind,
    filter: EnquiryFilter | None = None,
    sort_by: EnquirySortBy | None = None,
) -> Connection[EnquiryRecord] | None:
    """ERP transactions, sales orders, back orders, payments or credits (`kind`); null for a
    contact's account other than its active one."""
    if not enquiry.may_enquire(info.context, root.db_id):
        return None
    filter = filter or EnquiryFilter()
    sort_by = sort_by or EnquirySortBy()
    query = EnquiryQuery(
        kind=kind,
        dates=filter.document_date.to_range() if filter.document_date else enquiry.DateRange(),
        statuses=frozenset(filter.status or ()),
        sort_field=sort_by.field,
        descending=sort_by.direction is SortDirection.DESC,
    )
    return await paginate(
        info,
        enquiry.enquiry_statement(root.db_id, query),
        page,
        EnquiryRecord.from_row,
    )


async def balance_summary(root: Any, info: Info) -> BalanceSummary | None:
    """Balance and overdue amounts by ageing bucket; null where `invoices` is."""
    if not enquiry.may_enquire(info.context, root.db_id):
        return None
    ageing = await enquiry.ageing(info.context, root.row)
    return BalanceSummary.of(ageing, balance=root.balance, balance_limit=root.balance_limit)
