"""readiness heartbeat

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # `/readyz` rewrites its one row: only a committed write shows that the database takes them.
    op.create_table(
        "readiness_heartbeat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("beat_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_readiness_heartbeat")),
    )


def downgrade() -> None:
    op.drop_table("readiness_heartbeat")
