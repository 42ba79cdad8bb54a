"""Invoices imported from the ERP: the account enquiry's first record, and the proof of
ownership that lets a visitor add a login to an existing account (CIMcloud)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, Index, Integer, String
from sqlmodel import Field, SQLModel

from models.types import Money, UTCDateTime, utcnow


class Invoice(SQLModel, table=True):
    __tablename__ = "invoice"
    __table_args__ = (Index("ix_invoice_account_id_invoice_date", "account_id", "invoice_date"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    number: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    erp_key: str | None = Field(default=None, max_length=64, index=True)
    invoice_date: date
    due_date: date | None = None
    amount: Decimal = Field(sa_type=Money)
    # What is still owed on the invoice.
    balance: Decimal = Field(default=Decimal("0"), sa_type=Money)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
