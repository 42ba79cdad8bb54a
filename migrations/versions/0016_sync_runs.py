"""sync runs: ERP exports larger than one call, staged until committed

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-02 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types

revision: str = "0016"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(*names: str) -> sa.Enum:
    return sa.Enum(*names, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    op.create_table(
        "sync_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feed", _enum("ACCOUNT_PRICES", "LEVEL_PRICES"), nullable=False),
        sa.Column("replace", _enum("NONE", "SENT", "FEED"), nullable=False),
        sa.Column("status", _enum("OPEN", "COMMITTED", "ABANDONED"), nullable=False),
        sa.Column("staged", sa.Integer(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_run")),
    )
    op.create_table(
        "sync_run_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["sync_run.id"],
            name=op.f("fk_sync_run_record_run_id_sync_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_run_record")),
    )
    with op.batch_alter_table("sync_run_record", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sync_run_record_run_id_position", ["run_id", "position"], unique=True
        )


def downgrade() -> None:
    op.drop_table("sync_run_record")
    op.drop_table("sync_run")
