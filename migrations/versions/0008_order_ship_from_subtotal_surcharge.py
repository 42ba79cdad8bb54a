"""order ship-from location, subtotal and surcharge

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 03:40:03.538283
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing orders had no surcharge, so their goods are their total.
    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ship_from_location_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("subtotal", models.types.Money(precision=14, scale=2), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "surcharge",
                models.types.Money(precision=14, scale=2),
                nullable=False,
                server_default="0",
            )
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_order_ship_from_location_id_location"),
            "location",
            ["ship_from_location_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.execute('UPDATE "order" SET subtotal = total')
    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.alter_column(
            "subtotal", existing_type=models.types.Money(precision=14, scale=2), nullable=False
        )
        batch_op.alter_column(
            "surcharge",
            existing_type=models.types.Money(precision=14, scale=2),
            server_default=None,
        )


def downgrade() -> None:
    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_order_ship_from_location_id_location"), type_="foreignkey"
        )
        batch_op.drop_column("surcharge")
        batch_op.drop_column("subtotal")
        batch_op.drop_column("ship_from_location_id")
