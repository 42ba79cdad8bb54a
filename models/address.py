"""Billing and shipping addresses of an account (TOTECS "Customer Account Addresses")."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, text
from sqlmodel import Field, SQLModel

from domain.enums import AddressKind, RecordSource
from models.types import UTCDateTime, enum_type, trigram_index, utcnow


class Address(SQLModel, table=True):
    __tablename__ = "address"
    __table_args__ = (
        Index("ix_address_account_id", "account_id"),
        Index("ix_address_postcode", "postcode"),
        trigram_index("address", "postcode"),
        Index(
            "uq_address_one_primary_per_account",
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
    kind: AddressKind = Field(default=AddressKind.SHIPPING, sa_type=enum_type(AddressKind))
    name: str = Field(max_length=200)
    line1: str = Field(max_length=200)
    line2: str | None = Field(default=None, max_length=200)
    city: str = Field(max_length=100)
    region: str | None = Field(default=None, max_length=100)
    postcode: str = Field(max_length=20)
    country: str = Field(default="AU", max_length=2)
    is_primary: bool = False
    source: RecordSource = Field(default=RecordSource.WEB, sa_type=enum_type(RecordSource))
    erp_key: str | None = Field(default=None, max_length=64, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
