"""Shopping carts: lines priced at the time of each change, checkout details, and history.

A cart belongs to one account and to the contact (or the worker acting for the account) who
created it. Cost centres are per account (PointForce "Maintain Cost Centre Information").
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
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from domain.enums import CartEventKind, CartStatus, PaymentType
from models.types import Money, UTCDateTime, enum_type, utcnow


class CostCentre(SQLModel, table=True):
    __tablename__ = "cost_centre"
    __table_args__ = (UniqueConstraint("account_id", "code", name="uq_cost_centre_account_code"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    code: str = Field(max_length=32)
    name: str = Field(max_length=100)


class Cart(SQLModel, table=True):
    __tablename__ = "cart"
    __table_args__ = (
        Index("ix_cart_account_id_status", "account_id", "status"),
        # `Account.carts`, newest first, read in order.
        Index("ix_cart_account_id_updated_at_id", "account_id", "updated_at", "id"),
        Index("ix_cart_contact_id", "contact_id"),
        Index("ix_cart_worker_id", "worker_id"),
        # A contact's, a worker's, or (no owner yet) a guest's kept by its token.
        CheckConstraint(
            "((contact_id IS NULL) != (worker_id IS NULL))"
            " OR (contact_id IS NULL AND worker_id IS NULL AND guest_token_hash IS NOT NULL)",
            name="ck_cart_one_owner",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    # The shopper, or the worker (a sales rep) who keeps the cart for the account.
    contact_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("contact.id", ondelete="CASCADE"), nullable=True),
    )
    worker_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("worker.id", ondelete="CASCADE"), nullable=True),
    )
    # Seed 000 B2C: an anonymous visitor's cart, found by the hash of the token its client keeps
    # (never the token). Cleared when the guest checks out and the cart gets its new contact.
    guest_token_hash: str | None = Field(
        default=None, sa_column=Column(String(64), nullable=True, unique=True)
    )
    name: str = Field(max_length=100)
    status: CartStatus = Field(default=CartStatus.OPEN, sa_type=enum_type(CartStatus))
    # One of the account's addresses; with neither this nor a manual address, the cart ships
    # to the account's primary address (CM10 "Same").
    ship_to_address_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("address.id", ondelete="SET NULL"), nullable=True),
    )
    manual_ship_to: dict[str, Any] | None = Field(
        default=None, sa_column=Column(JSON, nullable=True)
    )
    po_number: str | None = Field(default=None, max_length=64)
    cost_centre: str | None = Field(default=None, max_length=32)
    notes: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    date_required: date | None = None
    total: Decimal = Field(default=Decimal("0"), sa_type=Money)
    # Chosen at checkout and kept while the cart waits for approval.
    payment_type: PaymentType | None = Field(
        default=None, sa_type=enum_type(PaymentType), nullable=True
    )
    payment_reference: str | None = Field(default=None, max_length=200)
    # Chosen for this cart; None: the account's shipping method (seed 003), the order's default.
    shipping_method: str | None = Field(default=None, max_length=64)
    # Seed 002 "Shipping Accounts": the carrier account chosen at checkout, kept like the payment.
    shipping_account_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("shipping_account.id", ondelete="SET NULL"), nullable=True
        ),
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CartLine(SQLModel, table=True):
    __tablename__ = "cart_line"
    __table_args__ = (
        UniqueConstraint("cart_id", "product_id", name="uq_cart_line_cart_product"),
        CheckConstraint("quantity > 0", name="ck_cart_line_quantity_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    cart_id: int = Field(
        sa_column=Column(Integer, ForeignKey("cart.id", ondelete="CASCADE"), nullable=False)
    )
    product_id: int = Field(
        sa_column=Column(Integer, ForeignKey("product.id", ondelete="CASCADE"), nullable=False)
    )
    quantity: int
    unit_price: Decimal = Field(sa_type=Money)
    line_total: Decimal = Field(sa_type=Money)


class CartEvent(SQLModel, table=True):
    """One state change of a cart: who, when, what, and the comment given."""

    __tablename__ = "cart_event"
    __table_args__ = (Index("ix_cart_event_cart_id", "cart_id"),)

    id: int | None = Field(default=None, primary_key=True)
    cart_id: int = Field(
        sa_column=Column(Integer, ForeignKey("cart.id", ondelete="CASCADE"), nullable=False)
    )
    kind: CartEventKind = Field(sa_type=enum_type(CartEventKind))
    contact_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("contact.id", ondelete="SET NULL"), nullable=True),
    )
    worker_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("worker.id", ondelete="SET NULL"), nullable=True),
    )
    comment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    order_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("order.id", ondelete="SET NULL"), nullable=True),
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CheckoutAttempt(SQLModel, table=True):
    """An idempotency key of `checkoutCart`: the request it was first used with, and the result
    to give back when the same request comes again."""

    __tablename__ = "checkout_attempt"
    __table_args__ = (
        UniqueConstraint("principal", "idempotency_key", name="uq_checkout_attempt_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # "contact:<id>" or "worker:<id>": keys are the caller's own, never shared.
    principal: str = Field(sa_column=Column(String(40), nullable=False))
    idempotency_key: str = Field(max_length=100)
    request_hash: str = Field(max_length=64)
    cart_id: int = Field(
        sa_column=Column(Integer, ForeignKey("cart.id", ondelete="CASCADE"), nullable=False)
    )
    order_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("order.id", ondelete="CASCADE"), nullable=True),
    )
    # RUNNING_QUOTE: the quote the checkout requested instead of an order.
    quote_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("quote.id", ondelete="CASCADE"), nullable=True),
    )
    # The warnings of the first result, as [{code, message}].
    warnings: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
