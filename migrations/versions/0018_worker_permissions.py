"""worker permissions

Revision ID: 0018
Revises: 0010
Create Date: 2026-12-02 14:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The role defaults of 0018 (domain.access.RolePermissions) plus the contract permission: what
# a worker that had `can_manage_contracts` holds afterwards, as its own set.
_WITH_CONTRACTS = (
    '["MANAGE_CONTRACTS", "PLACE_ORDERS", "VIEW_ENQUIRY", "EDIT_CONTACTS", "SEE_ALL_STOCK"]'
)


def upgrade() -> None:
    # Seed 003 "Facility Role permissions": the one contract flag becomes a permission set per
    # worker (NULL: its role's defaults, kept in settings section 'worker_permissions').
    with op.batch_alter_table("worker", schema=None) as batch_op:
        batch_op.add_column(sa.Column("permissions", sa.JSON(), nullable=True))
    worker = sa.table(
        "worker",
        sa.column("permissions", sa.JSON()),
        sa.column("can_manage_contracts", sa.Boolean()),
    )
    op.execute(
        worker.update()
        .where(worker.c.can_manage_contracts == sa.true())
        # A bare SQL literal: PostgreSQL types it as JSON, SQLite stores the text.
        .values(permissions=sa.text(f"'{_WITH_CONTRACTS}'"))
    )
    with op.batch_alter_table("worker", schema=None) as batch_op:
        batch_op.drop_column("can_manage_contracts")
    # Seed 003 "Shipping Method": a cart's choice, and the order's (the account's by default).
    for table in ("cart", "order"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("shipping_method", sa.String(length=64), nullable=True))


def downgrade() -> None:
    for table in ("order", "cart"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("shipping_method")
    with op.batch_alter_table("worker", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "can_manage_contracts", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    worker = sa.table(
        "worker",
        sa.column("permissions", sa.JSON()),
        sa.column("can_manage_contracts", sa.Boolean()),
    )
    op.execute(
        worker.update()
        .where(sa.cast(worker.c.permissions, sa.String()).like('%"MANAGE_CONTRACTS"%'))
        .values(can_manage_contracts=sa.true())
    )
    with op.batch_alter_table("worker", schema=None) as batch_op:
        batch_op.drop_column("permissions")
