"""Products, their price per price level (TOTECS "Customer Account Assigned Price Level"),
account-specific prices and the SU23 restriction list. Contracts are in `models.contract`,
locations and stock in `models.location`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from domain.enums import RecordSource
from models.types import Money, UTCDateTime, enum_type, trigram_index, utcnow


class Product(SQLModel, table=True):
    __tablename__ = "product"
    __table_args__ = (trigram_index("product", "sku"), trigram_index("product", "name"))

    id: int | None = Field(default=None, primary_key=True)
    sku: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    name: str = Field(max_length=200, index=True)
    description: str | None = None
    unit: str = Field(default="EA", max_length=16)
    is_active: bool = True
    # Seed 004 SU23 restricts "products/commodities" per customer: the commodity (product
    # group) code a customer's restriction list may name instead of each product.
    commodity: str | None = Field(default=None, max_length=32, index=True)
    erp_key: str | None = Field(default=None, max_length=64, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ProductLevelPrice(SQLModel, table=True):
    """A product's price at one price level (A, B, C, … — any number of levels)."""

    __tablename__ = "product_level_price"
    __table_args__ = (
        UniqueConstraint("product_id", "price_level", name="uq_product_level_price"),
        CheckConstraint("price >= 0", name="ck_product_level_price_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(
        sa_column=Column(Integer, ForeignKey("product.id", ondelete="CASCADE"), nullable=False)
    )
    price_level: str = Field(max_length=16)
    price: Decimal = Field(sa_type=Money)


class AccountProductPrice(SQLModel, table=True):
    """Seed 003 "Customer Account Product Pricing": a price for one account from `min_quantity`
    units up (quantity breaks), possibly forced, kept by the ERP or entered on the platform."""

    __tablename__ = "account_product_price"
    __table_args__ = (
        UniqueConstraint(
            "account_id", "product_id", "min_quantity", name="uq_account_product_price_tier"
        ),
        Index("ix_account_product_price_product_id", "product_id"),
        CheckConstraint("price >= 0", name="ck_account_product_price_not_negative"),
        CheckConstraint("min_quantity >= 1", name="ck_account_product_price_min_quantity"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    product_id: int = Field(
        sa_column=Column(Integer, ForeignKey("product.id", ondelete="CASCADE"), nullable=False)
    )
    min_quantity: int = 1
    price: Decimal = Field(sa_type=Money)
    is_forced: bool = False
    # Seed 000: a full ERP export must never delete the prices entered on the platform (WEB).
    source: RecordSource = Field(default=RecordSource.ERP, sa_type=enum_type(RecordSource))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ProductRestriction(SQLModel, table=True):
    """Seed 004 SU23 "Maintain Product Restrictions ... lists products/commodities that are
    restricted for certain customers": one entry of an account's list, a product or a commodity,
    applied when its contact's membership says "restricted products apply"."""

    __tablename__ = "product_restriction"
    __table_args__ = (
        UniqueConstraint("account_id", "product_id", name="uq_product_restriction_pair"),
        UniqueConstraint("account_id", "commodity", name="uq_product_restriction_commodity"),
        CheckConstraint(
            "(product_id IS NULL) <> (commodity IS NULL)",
            name="ck_product_restriction_product_or_commodity",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    product_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("product.id", ondelete="CASCADE"), nullable=True),
    )
    commodity: str | None = Field(default=None, max_length=32)
