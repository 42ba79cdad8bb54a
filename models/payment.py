"""Invoice payments made on the web (seeds 002 and 003: "allow users to pay for invoices via
credit card or direct deposit"): what was paid against which invoices, exported to the ERP
like an order."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain.enums import PaymentType
from models.types import Money, UTCDateTime, enum_type, utcnow


class InvoicePayment(SQLModel, table=True):
    __tablename__ = "invoice_payment"
    __table_args__ = (
        Index("ix_invoice_payment_account_id", "account_id"),
        # Keys are the payer's own; NULL keys (no key given) never clash.
        UniqueConstraint("principal", "idempotency_key", name="uq_invoice_payment_key"),
        CheckConstraint("amount > 0", name="ck_invoice_payment_amount_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    paid_by_contact_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("contact.id", ondelete="SET NULL"), nullable=True),
    )
    paid_by_worker_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("worker.id", ondelete="SET NULL"), nullable=True),
    )
    payment_type: PaymentType = Field(sa_type=enum_type(PaymentType))
    # CREDIT_CARD: the saved card's vault token (never a card number).
    payment_reference: str | None = Field(default=None, max_length=200)
    amount: Decimal = Field(sa_type=Money)
    # "contact:<id>" or "worker:<id>", and the idempotency key and request it came with.
    principal: str = Field(sa_column=Column(String(40), nullable=False))
    idempotency_key: str | None = Field(default=None, max_length=100)
    request_hash: str = Field(max_length=64)
    erp_key: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class InvoicePaymentLine(SQLModel, table=True):
    __tablename__ = "invoice_payment_line"
    __table_args__ = (
        UniqueConstraint("payment_id", "invoice_id", name="uq_invoice_payment_line_invoice"),
        Index("ix_invoice_payment_line_invoice_id", "invoice_id"),
        CheckConstraint("amount > 0", name="ck_invoice_payment_line_amount_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("invoice_payment.id", ondelete="CASCADE"), nullable=False
        )
    )
    invoice_id: int = Field(
        sa_column=Column(Integer, ForeignKey("invoice.id", ondelete="CASCADE"), nullable=False)
    )
    amount: Decimal = Field(sa_type=Money)
