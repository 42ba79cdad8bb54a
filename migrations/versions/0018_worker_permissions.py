"""worker permissions, shipping methods, commodity restrictions, saved searches of every grid

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 14:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
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
    _commodity_restrictions()
    _saved_searches(_NEW_GRIDS)


_OLD_GRIDS = ["ACCOUNTS", "CONTACTS"]
_NEW_GRIDS = [*_OLD_GRIDS, "ORDERS", "CARTS", "PRODUCTS"]


def _set_grids(grids: list[str]) -> None:
    """The grid column's CHECK lists the grids. SQLite rebuilds the table: the grid column is
    reflected as plain text (so its old CHECK is left behind) and the new CHECK is given;
    PostgreSQL swaps the constraint."""
    listed = ", ".join(f"'{g}'" for g in grids)
    check = sa.CheckConstraint(f"grid IN ({listed})", name=op.f("ck_saved_search_grid"))
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table(
            "saved_search",
            recreate="always",
            reflect_args=(sa.Column("grid", sa.String(length=32), nullable=False),),
            table_args=(check,),
        ):
            pass
        return
    op.drop_constraint(op.f("ck_saved_search_grid"), "saved_search", type_="check")
    op.create_check_constraint(op.f("ck_saved_search_grid"), "saved_search", f"grid IN ({listed})")


def _saved_searches(grids: list[str]) -> None:
    """Seed 002: saved searches of every data grid, for contacts and for workers' own grids."""
    _set_grids(grids)
    with op.batch_alter_table("saved_search", schema=None) as batch_op:
        batch_op.alter_column("contact_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("worker_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_saved_search_worker_id", ["worker_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_saved_search_worker_id_worker", "worker", ["worker_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.create_check_constraint(
            "ck_saved_search_one_owner", "(contact_id IS NULL) <> (worker_id IS NULL)"
        )


def _commodity_restrictions() -> None:
    """Seed 004 SU23 restricts "products/commodities ... for certain customers": the global
    `product.is_restricted` flag becomes the commodity RESTRICTED, put on every account's list
    (what the flag meant), from where staff take it off per customer."""
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.add_column(sa.Column("commodity", sa.String(length=32), nullable=True))
        batch_op.create_index("ix_product_commodity", ["commodity"], unique=False)
    product = sa.table(
        "product", sa.column("commodity", sa.String()), sa.column("is_restricted", sa.Boolean())
    )
    op.execute(
        product.update().where(product.c.is_restricted == sa.true()).values(commodity="RESTRICTED")
    )
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_column("is_restricted")
    with op.batch_alter_table("product_restriction", schema=None) as batch_op:
        batch_op.add_column(sa.Column("commodity", sa.String(length=32), nullable=True))
        batch_op.alter_column("product_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_unique_constraint(
            "uq_product_restriction_commodity", ["account_id", "commodity"]
        )
        batch_op.create_check_constraint(
            "ck_product_restriction_product_or_commodity",
            "(product_id IS NULL) <> (commodity IS NULL)",
        )
    op.execute(
        "INSERT INTO product_restriction (account_id, commodity) SELECT id, 'RESTRICTED' FROM account"
        " WHERE EXISTS (SELECT 1 FROM product WHERE commodity = 'RESTRICTED')"
    )


def downgrade() -> None:
    op.execute(
        "DELETE FROM saved_search WHERE worker_id IS NOT NULL"
        " OR grid NOT IN ('ACCOUNTS', 'CONTACTS')"
    )
    with op.batch_alter_table("saved_search", schema=None) as batch_op:
        batch_op.drop_constraint("ck_saved_search_one_owner", type_="check")
        batch_op.drop_constraint("fk_saved_search_worker_id_worker", type_="foreignkey")
        batch_op.drop_index("ix_saved_search_worker_id")
        batch_op.drop_column("worker_id")
        batch_op.alter_column("contact_id", existing_type=sa.Integer(), nullable=False)
    _set_grids(_OLD_GRIDS)
    op.execute("DELETE FROM product_restriction WHERE commodity IS NOT NULL")
    with op.batch_alter_table("product_restriction", schema=None) as batch_op:
        batch_op.drop_constraint("ck_product_restriction_product_or_commodity", type_="check")
        batch_op.drop_constraint("uq_product_restriction_commodity", type_="unique")
        batch_op.alter_column("product_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("commodity")
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_restricted", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    product = sa.table(
        "product", sa.column("commodity", sa.String()), sa.column("is_restricted", sa.Boolean())
    )
    op.execute(
        product.update().where(product.c.commodity == "RESTRICTED").values(is_restricted=True)
    )
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_index("ix_product_commodity")
        batch_op.drop_column("commodity")
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
