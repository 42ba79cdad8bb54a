"""Wallet-style data of an account (seed 002): favourites lists, saved searches, shipping
accounts and vaulted credit cards."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
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

from domain.wallet import SavedSearchGrid
from models.types import UTCDateTime, enum_type, utcnow


class FavouritesList(SQLModel, table=True):
    """A named product list owned by a contact, private or shared with the account."""

    __tablename__ = "favourites_list"
    __table_args__ = (Index("ix_favourites_list_account_id", "account_id"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    owner_contact_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("contact.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    name: str = Field(max_length=100)
    is_shared: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class FavouritesItem(SQLModel, table=True):
    __tablename__ = "favourites_item"
    __table_args__ = (
        UniqueConstraint("list_id", "product_id", name="uq_favourites_item_list_product"),
    )

    id: int | None = Field(default=None, primary_key=True)
    list_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("favourites_list.id", ondelete="CASCADE"), nullable=False
        )
    )
    product_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("product.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SavedSearch(SQLModel, table=True):
    """A named search of one data grid: the grid and its filter values as JSON. It belongs to a
    contact (made by the contact, or for it by a worker) or to a worker (its own grids)."""

    __tablename__ = "saved_search"
    __table_args__ = (
        CheckConstraint(
            "(contact_id IS NULL) <> (worker_id IS NULL)", name="ck_saved_search_one_owner"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("contact.id", ondelete="CASCADE"), nullable=True, index=True
        ),
    )
    worker_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("worker.id", ondelete="CASCADE"), nullable=True, index=True
        ),
    )
    grid: SavedSearchGrid = Field(sa_type=enum_type(SavedSearchGrid))
    name: str = Field(max_length=100)
    # The grid's filter input, in the client's (camelCase) spelling.
    filters: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ShippingAccount(SQLModel, table=True):
    """A third-party carrier account that shipping is billed to; carried to the ERP with the
    order. The account's members all use it; who added it may change it (docs/wallet.md)."""

    __tablename__ = "shipping_account"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    # None: added by a worker (or by a contact since removed); then only managers change it.
    created_by_contact_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("contact.id", ondelete="SET NULL"), nullable=True),
    )
    carrier: str = Field(max_length=64)
    account_number: str = Field(max_length=64)
    name: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CreditCard(SQLModel, table=True):
    """A vaulted card: the gateway's token and what a person recognises it by. Never a card
    number or security code. It belongs to the contact who saved it at that account, or (saved
    by a worker, `contact_id` None) to the account's workers (docs/wallet.md)."""

    __tablename__ = "credit_card"
    __table_args__ = (
        # A token is unique per owner only: saving one another owner holds must answer as
        # for a new card, or the answer tells that the card is saved elsewhere.
        UniqueConstraint("account_id", "contact_id", "token", name="uq_credit_card_owner_token"),
        # NULLs never clash in the constraint above: the workers' cards need their own.
        Index(
            "uq_credit_card_account_token_of_workers",
            "account_id",
            "token",
            unique=True,
            sqlite_where=text("contact_id IS NULL"),
            postgresql_where=text("contact_id IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    # A contact's cards go with it: left behind they would become the workers' cards.
    contact_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("contact.id", ondelete="CASCADE"), nullable=True),
    )
    token: str = Field(sa_column=Column(String(128), nullable=False))
    brand: str = Field(max_length=32)
    last4: str = Field(max_length=4)
    expiry_month: int
    expiry_year: int
    holder_name: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
