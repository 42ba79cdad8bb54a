"""Loaders of the account enquiry."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select
from sqlmodel import col

from loaders.base import RowByKeyLoader, RowsByKeyLoader
from models import EnquiryRecord, Invoice


class InvoiceByIdLoader(RowByKeyLoader[Invoice]):
    model = Invoice


class EnquiryRecordByIdLoader(RowByKeyLoader[EnquiryRecord]):
    model = EnquiryRecord


class OpenInvoicesByAccountIdLoader(RowsByKeyLoader[Invoice]):
    """Invoices with money still owed: what the balance summary ages."""

    model = Invoice
    key_column = "account_id"

    def statement(self, keys: Sequence[Any]) -> Select[Any]:
        return super().statement(keys).where(col(Invoice.balance) != 0)
