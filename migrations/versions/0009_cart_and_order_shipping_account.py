"""cart and order shipping account

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 03:55:04.225988
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cart", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shipping_account_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_cart_shipping_account_id_shipping_account"),
            "shipping_account",
            ["shipping_account_id"],
            ["id"],
            ondelete="SET NULL",
        )

    # A copy of the shipping account, like the order's ship-to.
    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shipping_account", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.drop_column("shipping_account")

    with op.batch_alter_table("cart", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_cart_shipping_account_id_shipping_account"), type_="foreignkey"
        )
        batch_op.drop_column("shipping_account_id")
