"""platform settings

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 03:13:21.427975
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "platform_setting",
        sa.Column("section", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("section", name=op.f("pk_platform_setting")),
    )


def downgrade() -> None:
    op.drop_table("platform_setting")
