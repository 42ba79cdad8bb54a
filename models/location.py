"""Locations, stock and the accounts served from them (seed 003 "Customer Account Locations")."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from domain.enums import SurchargeKind
from models.types import Money, enum_type


class Location(SQLModel, table=True):
    """A physical or logical place products are sold and shipped from, with the surcharge an
    order from it carries (a percentage of the goods or a fixed amount)."""

    __tablename__ = "location"
    __table_args__ = (
        CheckConstraint("surcharge_value >= 0", name="ck_location_surcharge_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(32), nullable=False, unique=True))
    name: str = Field(max_length=200)
    surcharge_kind: SurchargeKind = Field(
        default=SurchargeKind.NONE, sa_type=enum_type(SurchargeKind)
    )
    surcharge_value: Decimal = Field(default=Decimal("0"), sa_type=Money)


class AccountLocation(SQLModel, table=True):
    """An account's location; exactly one of an account's locations is its primary one."""

    __tablename__ = "account_location"
    __table_args__ = (
        UniqueConstraint("account_id", "location_id", name="uq_account_location_pair"),
        Index(
            "uq_account_location_one_primary",
            "account_id",
            unique=True,
            sqlite_where=text("is_primary"),
            postgresql_where=text("is_primary"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    location_id: int = Field(
        sa_column=Column(Integer, ForeignKey("location.id", ondelete="CASCADE"), nullable=False)
    )
    is_primary: bool = False


class ProductStock(SQLModel, table=True):
    """How many units of a product a location holds."""

    __tablename__ = "product_stock"
    __table_args__ = (UniqueConstraint("product_id", "location_id", name="uq_product_stock_pair"),)

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(
        sa_column=Column(Integer, ForeignKey("product.id", ondelete="CASCADE"), nullable=False)
    )
    location_id: int = Field(
        sa_column=Column(Integer, ForeignKey("location.id", ondelete="CASCADE"), nullable=False)
    )
    quantity: int = 0
