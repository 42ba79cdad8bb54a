"""Spending budgets (issue #16 §2): an amount an account, a membership or a cost centre may
spend per period (`domain.budgets`)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer
from sqlmodel import Field, SQLModel

from domain.budgets import BudgetPeriod, BudgetScope, OverBudgetAction
from models.types import Money, UTCDateTime, enum_type, utcnow


class Budget(SQLModel, table=True):
    __tablename__ = "budget"
    __table_args__ = (
        Index("ix_budget_account_id", "account_id"),
        Index("ix_budget_membership_id", "membership_id"),
        CheckConstraint("amount >= 0", name="ck_budget_amount_not_negative"),
        # Each scope names exactly its own target.
        CheckConstraint(
            "(scope = 'MEMBERSHIP') = (membership_id IS NOT NULL)"
            " AND (scope = 'COST_CENTRE') = (cost_centre IS NOT NULL)",
            name="ck_budget_scope_target",
        ),
        CheckConstraint(
            "(period = 'CUSTOM') = (starts_on IS NOT NULL AND ends_on IS NOT NULL)"
            " AND (starts_on IS NULL OR ends_on >= starts_on)",
            name="ck_budget_custom_dates",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    scope: BudgetScope = Field(sa_type=enum_type(BudgetScope))
    # MEMBERSHIP: the contact's membership of the account; the budget goes with it.
    membership_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("account_membership.id", ondelete="CASCADE"), nullable=True
        ),
    )
    # COST_CENTRE: the code carts and orders carry (`Cart.cost_centre`), not a cost centre row:
    # `setCostCentres` replaces an account's rows wholesale, and the orders keep the code.
    cost_centre: str | None = Field(default=None, max_length=32)
    period: BudgetPeriod = Field(sa_type=enum_type(BudgetPeriod))
    # CUSTOM only: the first and last day (the platform's time zone).
    starts_on: date | None = None
    ends_on: date | None = None
    amount: Decimal = Field(sa_type=Money)
    over_budget_action: OverBudgetAction = Field(sa_type=enum_type(OverBudgetAction))
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
