"""saved searches of every grid: repair the grid CHECK that 0018 left at two grids on some SQLite
databases

0018 rebuilt the SQLite table with the new CHECK beside the reflected old one of the same name,
and which of the two survived depended on the process's hash seed: on some machines a saved
search of ORDERS, CARTS or PRODUCTS failed the old CHECK. This drops the constraint by name and
creates it again, the same on every run; PostgreSQL swapped it properly and gets the same swap.

Revision ID: 0022
Revises: 0018
Create Date: 2026-12-03 16:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_GRIDS = "'ACCOUNTS', 'CONTACTS', 'ORDERS', 'CARTS', 'PRODUCTS'"


def upgrade() -> None:
    with op.batch_alter_table("saved_search", schema=None) as batch_op:
        batch_op.drop_constraint("ck_saved_search_grid", type_="check")
        batch_op.create_check_constraint("ck_saved_search_grid", f"grid IN ({_GRIDS})")


def downgrade() -> None:
    """0018 already meant every grid: nothing to undo."""
