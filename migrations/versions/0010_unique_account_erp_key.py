"""unique account erp key

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 03:59:20.404108
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The ERP sync upserts accounts by ERP key: the index keeps two syncs at once from both
    # creating one. Web accounts have no ERP key; NULLs never clash. An existing database with
    # a key held twice must have one of them changed before this runs.
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_index("ix_account_erp_key")
        batch_op.create_index("ix_account_erp_key", ["erp_key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_index("ix_account_erp_key")
        batch_op.create_index("ix_account_erp_key", ["erp_key"], unique=False)
