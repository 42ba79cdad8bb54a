"""Account enquiry: the ERP's records of an account, read-only on the platform (seed 002 "all of
the associated transaction data (like orders, shipments, invoices, payments, credits, etc)")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum


class EnquiryKind(Enum):
    """The ERP documents an account can look up, besides invoices."""

    TRANSACTION = "TRANSACTION"
    SALES_ORDER = "SALES_ORDER"
    BACK_ORDER = "BACK_ORDER"
    PAYMENT = "PAYMENT"
    CREDIT = "CREDIT"
    # Seed 002 "orders, shipments, invoices, payments, credits": a dispatch of a web order.
    SHIPMENT = "SHIPMENT"


class EnquiryStatus(Enum):
    OPEN = "OPEN"
    PARTIAL = "PARTIAL"
    CLOSED = "CLOSED"
    CANCELLED = "CANCELLED"


class InvoiceStatus(Enum):
    """Derived from the invoice: paid when nothing is owed, overdue once past its due date."""

    OPEN = "OPEN"
    OVERDUE = "OVERDUE"
    PAID = "PAID"


def invoice_status(*, balance: Decimal, due: date | None, today: date) -> InvoiceStatus:
    """Account enquiry invoice filter: an invoice with nothing owed is paid; an owing one is
    overdue after its due date (the ERP's, or the payment terms')."""
    if balance == 0:
        return InvoiceStatus.PAID
    if due is not None and due < today:
        return InvoiceStatus.OVERDUE
    return InvoiceStatus.OPEN
