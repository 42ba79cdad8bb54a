"""SQLAlchemy ORM mappings of the Tradepost tables the baseline reads, only the columns it uses."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import DateTime, ForeignKey, Numeric
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

Money = Numeric(14, 2)


class Base(DeclarativeBase):
    pass


class Worker(Base):
    __tablename__ = "worker"
    id: Mapped[int] = mapped_column(primary_key=True)
    is_active: Mapped[bool]


class Session(Base):
    __tablename__ = "session"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str]
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("worker.id"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Account(Base):
    __tablename__ = "account"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str]
    company_name: Mapped[str]
    is_on_hold: Mapped[bool]
    balance: Mapped[Decimal] = mapped_column(Money)


class Address(Base):
    __tablename__ = "address"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    kind: Mapped[str]
    city: Mapped[str]
    postcode: Mapped[str]
    is_primary: Mapped[bool]


class Contact(Base):
    __tablename__ = "contact"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    email: Mapped[str | None]


class Membership(Base):
    __tablename__ = "account_membership"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"))
    role: Mapped[str]


class Product(Base):
    __tablename__ = "product"
    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str]
    name: Mapped[str]


class Contract(Base):
    __tablename__ = "contract"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str]
    expires_on: Mapped[date]


class ContractAccount(Base):
    __tablename__ = "contract_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))


class ContractProduct(Base):
    __tablename__ = "contract_product"
    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    price: Mapped[Decimal] = mapped_column(Money)
    is_forced: Mapped[bool]


class Cart(Base):
    __tablename__ = "cart"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    name: Mapped[str]
    status: Mapped[str]
    total: Mapped[Decimal] = mapped_column(Money)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CartLine(Base):
    __tablename__ = "cart_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    cart_id: Mapped[int] = mapped_column(ForeignKey("cart.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    quantity: Mapped[int]
    unit_price: Mapped[Decimal] = mapped_column(Money)
