"""spending budgets

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-03 15:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(*values: str) -> sa.Enum:
    """An enum column as `models.types.enum_type` stores it: names in a VARCHAR with a CHECK."""
    return sa.Enum(*values, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    # Issue #16 §2: budgets per account, membership or cost centre (models/budget.py).
    op.create_table(
        "budget",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("scope", _enum("ACCOUNT", "MEMBERSHIP", "COST_CENTRE"), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=True),
        sa.Column("cost_centre", sa.String(length=32), nullable=True),
        sa.Column("period", _enum("MONTH", "QUARTER", "YEAR", "CUSTOM"), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("amount", models.types.Money(precision=14, scale=2), nullable=False),
        sa.Column("over_budget_action", _enum("BLOCK", "REQUIRE_APPROVAL"), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount >= 0", name="ck_budget_amount_not_negative"),
        sa.CheckConstraint(
            "(scope = 'MEMBERSHIP') = (membership_id IS NOT NULL)"
            " AND (scope = 'COST_CENTRE') = (cost_centre IS NOT NULL)",
            name="ck_budget_scope_target",
        ),
        sa.CheckConstraint(
            "(period = 'CUSTOM') = (starts_on IS NOT NULL AND ends_on IS NOT NULL)"
            " AND (starts_on IS NULL OR ends_on >= starts_on)",
            name="ck_budget_custom_dates",
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_budget_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["account_membership.id"],
            name=op.f("fk_budget_membership_id_account_membership"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget")),
    )
    with op.batch_alter_table("budget", schema=None) as batch_op:
        batch_op.create_index("ix_budget_account_id", ["account_id"], unique=False)
        batch_op.create_index("ix_budget_membership_id", ["membership_id"], unique=False)


def downgrade() -> None:
    op.drop_table("budget")
