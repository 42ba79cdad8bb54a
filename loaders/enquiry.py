"""Loaders of the account enquiry."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlmodel import col

from domain.enquiry import EnquiryKind
from loaders.base import RowByKeyLoader, RowsByKeyLoader
from models import EnquiryRecord, Invoice, InvoicePayment, InvoicePaymentLine


class InvoiceByIdLoader(RowByKeyLoader[Invoice]):
    model = Invoice


class EnquiryRecordByIdLoader(RowByKeyLoader[EnquiryRecord]):
    model = EnquiryRecord


class OpenInvoicesByAccountIdLoader(RowsByKeyLoader[Invoice]):
    """Invoices with money still owed: what the balance summary ages."""

    model = Invoice
    key_column = "account_id"

    def statement(self) -> Select[Any]:
        return super().statement().where(col(Invoice.balance) != 0)


class ShipmentsByOrderIdLoader(RowsByKeyLoader[EnquiryRecord]):
    """Seed 002 shipments of a web order, as the ERP sent them."""

    model = EnquiryRecord
    key_column = "order_id"
    order_by = ("order_id", "document_date", "id")

    def statement(self) -> Select[Any]:
        return super().statement().where(col(EnquiryRecord.kind) == EnquiryKind.SHIPMENT)


class InvoicePaymentByIdLoader(RowByKeyLoader[InvoicePayment]):
    model = InvoicePayment


class InvoicePaymentLinesByPaymentIdLoader(RowsByKeyLoader[InvoicePaymentLine]):
    model = InvoicePaymentLine
    key_column = "payment_id"
