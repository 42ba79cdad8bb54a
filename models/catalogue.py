"""Products and their price per price level (TOTECS "Customer Account Assigned Price Level").

Contracts, account prices, locations and stock build on these (see the pricing issue).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import Money, UTCDateTime, utcnow


class Product(SQLModel, table=True):
    __tablename__ = "product"

    id: int | None = Field(default=None, primary_key=True)
    sku: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    name: str = Field(max_length=200, index=True)
    description: str | None = None
    unit: str = Field(default="EA", max_length=16)
    is_active: bool = True
    # SU23: a product some accounts may not buy (see account restrictions).
    is_restricted: bool = False
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
