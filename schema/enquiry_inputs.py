"""Filters and orderings of the account enquiry's connections."""

from __future__ import annotations

from datetime import date

import strawberry

from domain.enquiry import EnquiryKind, EnquiryStatus, InvoiceStatus
from resolvers.enquiry import DateRange, EnquirySortField, InvoiceSortField
from schema.relay import SortDirection

for _enum in (EnquiryKind, EnquiryStatus, InvoiceStatus, InvoiceSortField, EnquirySortField):
    strawberry.enum(_enum)


@strawberry.input(description="Dates inclusive at both ends; leave either open.")
class DateRangeInput:
    start: date | None = None
    end: date | None = None

    def to_range(self) -> DateRange:
        return DateRange(start=self.start, end=self.end)


@strawberry.input
class InvoiceFilter:
    invoice_date: DateRangeInput | None = None
    status: list[InvoiceStatus] | None = strawberry.field(
        default=None, description="Any of these; null or empty for all."
    )


@strawberry.input
class InvoiceSortBy:
    field: InvoiceSortField = InvoiceSortField.INVOICE_DATE
    direction: SortDirection = SortDirection.DESC


@strawberry.input
class EnquiryFilter:
    document_date: DateRangeInput | None = None
    status: list[EnquiryStatus] | None = strawberry.field(
        default=None, description="Any of these; null or empty for all."
    )


@strawberry.input
class EnquirySortBy:
    field: EnquirySortField = EnquirySortField.DOCUMENT_DATE
    direction: SortDirection = SortDirection.DESC
