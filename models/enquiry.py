"""ERP records of an account besides invoices: transactions, sales orders, back orders,
payments and credits. Imported by the sync API and read-only on the platform."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, Index, Integer, String
from sqlmodel import Field, SQLModel

from domain.enquiry import EnquiryKind, EnquiryStatus
from models.types import Money, UTCDateTime, enum_type, utcnow


class EnquiryRecord(SQLModel, table=True):
    __tablename__ = "enquiry_record"
    __table_args__ = (
        Index("ix_enquiry_record_account_kind_date", "account_id", "kind", "document_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    erp_key: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    kind: EnquiryKind = Field(sa_type=enum_type(EnquiryKind))
    number: str = Field(max_length=64)
    document_date: date
    due_date: date | None = None
    status: EnquiryStatus = Field(default=EnquiryStatus.OPEN, sa_type=enum_type(EnquiryStatus))
    amount: Decimal = Field(sa_type=Money)
    # What is still to be paid, shipped or used.
    outstanding: Decimal = Field(default=Decimal("0"), sa_type=Money)
    reference: str | None = Field(default=None, max_length=64)
    description: str | None = Field(default=None, max_length=500)
    # SHIPMENT (seed 002): the web order it ships, its carrier and tracking number.
    order_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("order.id", ondelete="SET NULL"), nullable=True, index=True
        ),
    )
    carrier: str | None = Field(default=None, max_length=64)
    tracking_number: str | None = Field(default=None, max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
