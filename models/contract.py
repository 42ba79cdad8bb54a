"""Customer account contracts (seed 003 "Customer Account Contracts"): products at agreed prices
for the accounts assigned to the contract, between a start and an expiry date."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain.enums import RecordSource
from models.types import Money, UTCDateTime, enum_type, utcnow


class Contract(SQLModel, table=True):
    __tablename__ = "contract"
    __table_args__ = (CheckConstraint("starts_on <= expires_on", name="ck_contract_window"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(32), nullable=False, unique=True))
    name: str = Field(max_length=200)
    starts_on: date
    expires_on: date
    source: RecordSource = Field(default=RecordSource.WEB, sa_type=enum_type(RecordSource))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ContractProduct(SQLModel, table=True):
    """A product on a contract, at the contract price; forced prices apply even when dearer."""

    __tablename__ = "contract_product"
    __table_args__ = (
        UniqueConstraint("contract_id", "product_id", name="uq_contract_product_pair"),
        Index("ix_contract_product_product_id", "product_id"),
        CheckConstraint("price >= 0", name="ck_contract_product_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(
        sa_column=Column(Integer, ForeignKey("contract.id", ondelete="CASCADE"), nullable=False)
    )
    product_id: int = Field(
        sa_column=Column(Integer, ForeignKey("product.id", ondelete="CASCADE"), nullable=False)
    )
    price: Decimal = Field(sa_type=Money)
    is_forced: bool = False


class ContractAccount(SQLModel, table=True):
    """An account assigned to a contract (any number of accounts, any number of contracts)."""

    __tablename__ = "contract_account"
    __table_args__ = (
        UniqueConstraint("contract_id", "account_id", name="uq_contract_account_pair"),
        Index("ix_contract_account_account_id", "account_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(
        sa_column=Column(Integer, ForeignKey("contract.id", ondelete="CASCADE"), nullable=False)
    )
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
