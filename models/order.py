"""Orders created from carts, and the queue of what the ERP has still to import.

Lines, prices, the ship-to address and the shipping account are copied from the cart when the
order is created, so later changes to products, prices, addresses or shipping accounts never
change an order.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlmodel import Field, SQLModel

from domain.enums import ExportKind, OrderStatus, PaymentTermsKind, PaymentType
from models.types import Money, UTCDateTime, enum_type, utcnow


class Order(SQLModel, table=True):
    __tablename__ = "order"
    __table_args__ = (
        # `Account.orders`, newest first, read in order (and the account's foreign key).
        Index("ix_order_account_id_created_at_id", "account_id", "created_at", "id"),
        Index("ix_order_created_by_contact_id", "created_by_contact_id"),
        Index("ix_order_created_by_worker_id", "created_by_worker_id"),
        CheckConstraint(
            "(created_by_contact_id IS NULL) != (created_by_worker_id IS NULL)",
            name="ck_order_one_creator",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    # One order per cart: the database's last word when two checkouts race.
    cart_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("cart.id", ondelete="RESTRICT"), nullable=False, unique=True
        )
    )
    created_by_contact_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("contact.id", ondelete="SET NULL"), nullable=True),
    )
    created_by_worker_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("worker.id", ondelete="SET NULL"), nullable=True),
    )
    approved_by_contact_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("contact.id", ondelete="SET NULL"), nullable=True),
    )
    status: OrderStatus = Field(sa_type=enum_type(OrderStatus))
    payment_type: PaymentType = Field(sa_type=enum_type(PaymentType))
    payment_reference: str | None = Field(default=None, max_length=200)
    # ON_ACCOUNT orders follow the account's payment terms as they were when ordering.
    payment_terms_kind: PaymentTermsKind | None = Field(
        default=None, sa_type=enum_type(PaymentTermsKind), nullable=True
    )
    payment_terms_value: int | None = None
    po_number: str | None = Field(default=None, max_length=64)
    cost_centre: str | None = Field(default=None, max_length=32)
    notes: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    date_required: date | None = None
    ship_to: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # Seed 003 "Shipping Method: Method which the account has its ordered shipped with": the
    # cart's choice, else the account's.
    shipping_method: str | None = Field(default=None, max_length=64)
    # The shipping account (carrier, account_number, name) billed for shipping, copied like the
    # ship-to; carried to the ERP with the order (seed 002).
    shipping_account: dict[str, Any] | None = Field(
        default=None, sa_column=Column(JSON, nullable=True)
    )
    # The account's primary location when ordering (seed 003): where the goods ship from and
    # whose surcharge the order carries. None when the account had no primary location.
    ship_from_location_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("location.id", ondelete="SET NULL"), nullable=True),
    )
    subtotal: Decimal = Field(sa_type=Money, description="The goods: the sum of the lines.")
    surcharge: Decimal = Field(default=Decimal("0"), sa_type=Money)
    total: Decimal = Field(sa_type=Money, description="subtotal + surcharge")
    erp_key: str | None = Field(default=None, max_length=64, index=True)
    # CM10 "Hold Orders Created": a held order waits for a worker's release before it goes to
    # the ERP; who released it and when.
    released_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    released_by_worker_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("worker.id", ondelete="SET NULL"), nullable=True),
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class OrderLine(SQLModel, table=True):
    __tablename__ = "order_line"
    __table_args__ = (Index("ix_order_line_order_id", "order_id"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(
        sa_column=Column(Integer, ForeignKey("order.id", ondelete="CASCADE"), nullable=False)
    )
    product_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("product.id", ondelete="SET NULL"), nullable=True),
    )
    sku: str = Field(sa_column=Column(String(64), nullable=False))
    product_name: str = Field(max_length=200)
    quantity: int
    unit_price: Decimal = Field(sa_type=Money)
    line_total: Decimal = Field(sa_type=Money)


class ErpExport(SQLModel, table=True):
    """One record the ERP has to import; pending until an integrator acknowledges it."""

    __tablename__ = "erp_export"
    __table_args__ = (
        Index(
            "ix_erp_export_pending",
            "id",
            sqlite_where=text("acknowledged_at IS NULL"),
            postgresql_where=text("acknowledged_at IS NULL"),
        ),
        Index("ix_erp_export_account_id_kind", "account_id", "kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: ExportKind = Field(sa_type=enum_type(ExportKind))
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    order_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("order.id", ondelete="CASCADE"), nullable=True),
    )
    # PAYMENT: the invoice payment to import (seeds 002/003).
    invoice_payment_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("invoice_payment.id", ondelete="CASCADE"), nullable=True
        ),
    )
    # QUOTE: the quote after one of its steps (the export carries the quote as it is now).
    quote_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("quote.id", ondelete="CASCADE"), nullable=True),
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    erp_key: str | None = Field(default=None, max_length=64)
