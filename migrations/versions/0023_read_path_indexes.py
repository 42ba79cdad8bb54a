"""read-path indexes: the accounts grid's sorts and an account's carts and orders, newest first

EXPLAIN showed each of these sorting the whole table (SQLite's temporary B-tree, PostgreSQL's
Sort over a scan); with an index in the order asked, a page reads its rows in order and stops
(tests/test_query_plans.py). The order index also serves the order's account foreign key, so
`ix_order_account_id` goes.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03 16:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXES = {
    "account": {
        "ix_account_balance_id": ["balance", "id"],
        "ix_account_created_at_id": ["created_at", "id"],
        "ix_account_updated_at_id": ["updated_at", "id"],
    },
    "cart": {"ix_cart_account_id_updated_at_id": ["account_id", "updated_at", "id"]},
    "order": {"ix_order_account_id_created_at_id": ["account_id", "created_at", "id"]},
}


def upgrade() -> None:
    for table, indexes in _INDEXES.items():
        for name, columns in indexes.items():
            op.create_index(name, table, columns)
    op.drop_index("ix_order_account_id", table_name="order")


def downgrade() -> None:
    op.create_index("ix_order_account_id", "order", ["account_id"])
    for table, indexes in _INDEXES.items():
        for name in indexes:
            op.drop_index(name, table_name=table)
