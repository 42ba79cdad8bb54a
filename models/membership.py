"""Contact <-> account: PointForce CM10 "Customer Accounts" folder, one row per pair."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from domain.enums import MembershipRole
from models.types import Money, UTCDateTime, enum_type, utcnow


class AccountMembership(SQLModel, table=True):
    __tablename__ = "account_membership"
    __table_args__ = (
        UniqueConstraint("contact_id", "account_id", name="uq_membership_contact_account"),
        Index("ix_membership_account_id", "account_id"),
        # CM10: "You must identify one account as the default account for each contact."
        Index(
            "uq_membership_one_default_per_contact",
            "contact_id",
            unique=True,
            sqlite_where=text("is_default"),
            postgresql_where=text("is_default"),
        ),
        Index("ix_membership_cart_approver_id", "cart_approver_id"),
        CheckConstraint(
            "(no_approval_below_value IS NULL"
            " OR no_approval_below_value BETWEEN 0 AND 999999.99)"
            " AND (maximum_approval_value IS NULL"
            " OR maximum_approval_value BETWEEN 0 AND 999999.99)",
            name="ck_account_membership_approval_values",
        ),
        CheckConstraint(
            "cart_approver_id != contact_id", name="ck_account_membership_not_own_approver"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(
        sa_column=Column(Integer, ForeignKey("contact.id", ondelete="CASCADE"), nullable=False)
    )
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    role: MembershipRole = Field(default=MembershipRole.SHOPPER, sa_type=enum_type(MembershipRole))
    # None means "Same": ship to the account's own (primary) address.
    default_ship_to_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("address.id", ondelete="SET NULL"), nullable=True),
    )
    may_select_ship_to: bool = False
    may_enter_manual_ship_to: bool = False
    is_default: bool = False
    is_active: bool = True
    allow_future_orders: bool = False
    hold_orders_created: bool = False
    approve_assigned: bool = False
    approve_all: bool = False
    email_approver: bool = False
    restricted_products_apply: bool = False
    cart_approver_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("contact.id", ondelete="SET NULL"), nullable=True),
    )
    no_approval_below_value: Decimal | None = Field(default=None, sa_type=Money)
    maximum_approval_value: Decimal | None = Field(default=None, sa_type=Money)
    # CM10 "Restricted Favourites List": read-only for the contact, and what it may buy.
    restricted_favourites_list_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("favourites_list.id", ondelete="SET NULL"), nullable=True
        ),
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
