"""Quotes (issue #16 §1): a buyer's request for prices, the seller's priced answer, the history
of every step, and the order it became.

Lines are copied from the cart when the quote is requested, so later changes to the cart never
change a quote; the price at request is kept beside the quoted one.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, String, Text
from sqlmodel import Field, SQLModel

from domain.enums import QuoteAction, QuoteStatus
from models.types import Money, Percent, UTCDateTime, enum_type, utcnow


class Quote(SQLModel, table=True):
    __tablename__ = "quote"
    __table_args__ = (
        Index("ix_quote_account_id_status", "account_id", "status"),
        Index("ix_quote_contact_id", "contact_id"),
        CheckConstraint(
            "discount_percent >= 0 AND discount_percent <= 100",
            name="ck_quote_discount_percent_range",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    # The buyer who requested it; e-mails to the buyer's side go to this contact.
    contact_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("contact.id", ondelete="SET NULL"), nullable=True),
    )
    # The cart it was requested from (which stays as it was, as commercetools leaves it).
    cart_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("cart.id", ondelete="SET NULL"), nullable=True),
    )
    status: QuoteStatus = Field(default=QuoteStatus.REQUESTED, sa_type=enum_type(QuoteStatus))
    discount_percent: Decimal = Field(default=Decimal("0"), sa_type=Percent)
    # Valid through this day; set by the seller when pricing.
    expires_on: date | None = None
    # What the buyer asked for when requesting, and what the seller says with the prices.
    request_note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    seller_note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # The cart that orders the quote at its prices (through checkout, approvals included), and
    # the order once placed.
    order_cart_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("cart.id", ondelete="SET NULL"), nullable=True, unique=True
        ),
    )
    order_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("order.id", ondelete="SET NULL"), nullable=True, unique=True
        ),
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class QuoteLine(SQLModel, table=True):
    __tablename__ = "quote_line"
    __table_args__ = (
        Index("ix_quote_line_quote_id", "quote_id"),
        CheckConstraint("quantity > 0", name="ck_quote_line_quantity_positive"),
        CheckConstraint("quoted_unit_price >= 0", name="ck_quote_line_quoted_unit_price"),
    )

    id: int | None = Field(default=None, primary_key=True)
    quote_id: int = Field(
        sa_column=Column(Integer, ForeignKey("quote.id", ondelete="CASCADE"), nullable=False)
    )
    product_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("product.id", ondelete="SET NULL"), nullable=True),
    )
    sku: str = Field(sa_column=Column(String(64), nullable=False))
    product_name: str = Field(max_length=200)
    quantity: int
    # The buyer's price when requesting, and the seller's price before the quote's discount.
    requested_unit_price: Decimal = Field(sa_type=Money)
    quoted_unit_price: Decimal = Field(sa_type=Money)


class QuoteEvent(SQLModel, table=True):
    """One step of a quote: who took it (a contact or a worker), when, why, and the states it
    went from and to."""

    __tablename__ = "quote_event"
    __table_args__ = (Index("ix_quote_event_quote_id", "quote_id"),)

    id: int | None = Field(default=None, primary_key=True)
    quote_id: int = Field(
        sa_column=Column(Integer, ForeignKey("quote.id", ondelete="CASCADE"), nullable=False)
    )
    action: QuoteAction = Field(sa_type=enum_type(QuoteAction))
    contact_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("contact.id", ondelete="SET NULL"), nullable=True),
    )
    worker_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("worker.id", ondelete="SET NULL"), nullable=True),
    )
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    from_status: QuoteStatus | None = Field(
        default=None, sa_type=enum_type(QuoteStatus), nullable=True
    )
    to_status: QuoteStatus = Field(sa_type=enum_type(QuoteStatus))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
